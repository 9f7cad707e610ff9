"""Developer tools of the project, kept out of the app's packages (and so out of the wheel)."""
