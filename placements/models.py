# Models arrive with their issues; the app is registered from the start.
