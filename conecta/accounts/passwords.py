"""Password validators added to Django's (settings.AUTH_PASSWORD_VALIDATORS)."""

import re
import unicodedata

from django.conf import settings
from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

# Letters people swap for digits or signs to make a word "different".
_LOOKALIKES = str.maketrans({"0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t", "@": "a", "$": "s"})


def _fold(text):
    """Lower case, no accents, look-alike digits read as letters, letters only."""
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z]", "", text.lower().translate(_LOOKALIKES))


class MaximumLengthValidator:
    """Long enough for any passphrase, short enough that nobody pastes a book into the form."""

    def __init__(self, max_length=128):
        self.max_length = max_length

    def validate(self, password, user=None):
        if len(password) > self.max_length:
            raise ValidationError(
                _("La contraseña puede tener como máximo %(max)d caracteres.") % {"max": self.max_length},
                code="password_too_long",
            )

    def get_help_text(self):
        return _("Su contraseña puede tener como máximo %(max)d caracteres.") % {"max": self.max_length}


def program_words():
    """settings.PASSWORD_PROGRAM_WORDS plus the commune and the longer words of the program's
    name and municipality, folded like the passwords they are compared with."""
    from conecta.models import ProgramSettings

    words = {_fold(word) for word in settings.PASSWORD_PROGRAM_WORDS}
    program = ProgramSettings.load()
    if program.commune_id:
        words.add(_fold(program.commune.name))
        words.update(_fold(part) for part in program.commune.name.split())
    for text in (program.name, program.municipality):
        words.update(_fold(part) for part in re.split(r"\W+", text))
    # Short words ("las", "tu", "de") would refuse half the dictionary.
    return {word for word in words if len(word) >= 5}


class ProgramWordsValidator:
    """Refuses passwords built on the program's own words: the first ones anyone would try."""

    def validate(self, password, user=None):
        folded = _fold(password)
        found = sorted(word for word in program_words() if word in folded)
        if found:
            raise ValidationError(
                _("La contraseña no puede contener palabras del programa ni de la comuna (%(words)s).")
                % {"words": ", ".join(found)},
                code="password_program_word",
            )

    def get_help_text(self):
        return _("Su contraseña no puede contener el nombre del programa ni el de la comuna.")


class CommonPasswordValidator(password_validation.CommonPasswordValidator):
    """Django's list of common passwords; its Spanish catalogue calls the password «clave»."""

    def get_error_message(self):
        return _("Esta contraseña es demasiado común: elija una más difícil de adivinar.")

    def get_help_text(self):
        return _("Su contraseña no puede ser una contraseña de uso común.")
