# No models of its own. The module's presence makes Django send post_migrate for this app,
# and "curation" is listed last in INSTALLED_APPS, so every model's permissions exist by
# the time the curators group is built (see apps.py).
