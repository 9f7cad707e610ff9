"""What surrounds the pages: idle and screen lock, the secret clipboard, the theme, the
network status and the pages that are not there yet."""
