"""The read side: metrics, disclosure control, charts, UI components, app."""
