"""The footer of keys, built once per set of keys and then shown, hidden and dimmed in place."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Footer
# Footer's key widget is not exported; textual is pinned (pyproject) and the snapshots catch a change.
from textual.widgets._footer import FooterKey

# A key as the footer shows it: (action, key, label); Footer shows the first binding of each action.
KeyId = tuple[str, str, str]
Shown = dict[KeyId, tuple[Binding, bool, str]]  # -> the binding, enabled, tooltip


def footer_keys(screen: Screen) -> Shown:
    """The keys Footer would show for the screen's active bindings, in its order."""
    shown: Shown = {}
    actions: set[str] = set()
    for _, binding, enabled, tooltip in screen.active_bindings.values():
        if binding.show and binding.action not in actions:
            actions.add(binding.action)
            shown[(binding.action, binding.key, binding.description)] = (binding, enabled, tooltip)
    return shown


class KeysFooter(Footer):
    """Textual's Footer removes and builds every key widget again whenever the bindings may have
    changed (each focus change): the old keys removed, the new ones mounted and styled, over two or
    three frames more, about 100 ms after each filter or search in the queue at 100k claims. This
    one keeps the keys it built and shows, hides or dims them in place; it builds again only when a
    key it never showed appears where the order would not hold. Key groups: Footer's own way."""

    def __init__(self, *, keys_after_first_frame: bool = False) -> None:
        """keys_after_first_frame: build the first keys after the screen's first frame, as Footer does
        (the desk's start-up: the article first); else with it (the queue opened: one frame less)."""
        super().__init__(compact=True, show_command_palette=False)
        self.keys_after_first_frame = keys_after_first_frame
        self.shown: Shown | None = None  # what is shown now
        self.built: dict[KeyId, tuple[Binding, bool, str]] = {}  # every key built, in order (some hidden)
        self.widgets: dict[KeyId, FooterKey] = {}

    def bindings_changed(self, screen: Screen) -> None:
        shown = footer_keys(screen)
        if shown == self.shown:
            return
        if (not screen.app.app_focus or not self.is_attached or screen is not self.screen
                or any(binding.group for binding, _, _ in shown.values())):
            self.shown, self.built, self.widgets = None, {}, {}
            super().bindings_changed(screen)  # Footer waits for these (or groups the keys)
            return
        self.shown = shown
        if self.widgets and [key for key in self.built if key in shown] == list(shown):
            self.show_keys(shown)
            return
        # Build again: the keys built so far and the new ones after them, if that keeps the order
        # of those shown; else only those shown, in their order.
        together = {**self.built, **shown}
        self.built = together if [key for key in together if key in shown] == list(shown) else dict(shown)
        self._bindings_ready = True
        if self.widgets or not self.keys_after_first_frame:
            self.call_next(self.recompose)  # with the rest of what the key changed, in the same frame
        else:
            self.call_after_refresh(self.recompose)

    def compose(self) -> ComposeResult:
        if self.shown is None:
            yield from super().compose()
            return
        self.widgets = {}
        for key_id, (binding, enabled, tooltip) in self.built.items():
            key = FooterKey(binding.key, self.app.get_key_display(binding), binding.description, binding.action,
                            disabled=not enabled, tooltip=tooltip).data_bind(compact=Footer.compact)
            key.display = key_id in self.shown
            self.widgets[key_id] = key
            yield key

    def show_keys(self, shown: Shown) -> None:
        for key_id, key in self.widgets.items():
            key.display = key_id in shown
            if key_id in shown:
                _, enabled, tooltip = shown[key_id]
                # FooterKey keeps its state in `_disabled` (the bell on a click) and the -disabled class (dim).
                key._disabled = not enabled
                key.set_class(not enabled, "-disabled")
                if tooltip:
                    key.tooltip = tooltip
