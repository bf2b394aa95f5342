"""`__in` on integer columns that tolerates ids no column can hold.

Django 5.2 already turns `pk=2**64` into "no rows" (`IntegerFieldExact`), but
`pk__in=[2**64]` reaches SQLite, whose driver raises OverflowError, which no
form catches: a forged id in a multi-select (`ModelMultipleChoiceField` cleans
with `pk__in`) became a 500 instead of «not one of the available choices». A
value outside the column's range can match no row, so dropping it from the list
changes no answer; this mends every form and filter at once."""

from django.db.models import IntegerField
from django.db.models.lookups import In


@IntegerField.register_lookup
class IntegerFieldIn(In):
    def process_rhs(self, compiler, connection):
        if self.rhs_is_direct_value():
            low, high = connection.ops.integer_field_range(self.lhs.output_field.get_internal_type())
            self.rhs = [
                value for value in self.rhs
                if not isinstance(value, int) or ((low is None or value >= low) and (high is None or value <= high))
            ]
        return super().process_rhs(compiler, connection)
