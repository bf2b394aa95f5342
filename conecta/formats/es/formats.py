# Spanish falls back to the Chilean formats.
from conecta.formats.es_CL.formats import *  # noqa: F401,F403
