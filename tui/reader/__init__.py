"""The reader: its screen, its article panes, the notes service and the messages between them."""
