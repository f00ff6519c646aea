"""calor's Rasa action server: `rasa run actions --actions actions`.

The executor imports every module of this package and registers each Action
subclass it finds, so an action only has to live in one of these modules.
"""

from actions.settings import get_settings

# Read the settings now, so a bad CALOR_DEMO_STORE stops the action server at
# start-up with a message naming the variable, not at a customer's first
# question.
get_settings()
