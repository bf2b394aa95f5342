"""Group work and training models, one module per area."""

from workshops.models.workshops import *  # noqa: F401,F403
from workshops.models.courses import *  # noqa: F401,F403
