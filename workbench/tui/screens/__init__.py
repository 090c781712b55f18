"""Screens and dialogs of the review desk."""
