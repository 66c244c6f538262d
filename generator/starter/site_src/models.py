"""The site's collections: what each file in site_src/data/ holds.

Each @collection names a data file (data/branches.yaml) and says how the generator
shows its records. Add a collection by adding a class here and a data file.
"""

import datetime as dt

from pydantic import Field

from generator import Count, Record, collection


@collection(
    "branches",
    label="Branches",
    item="Branch",
    title="{name}",
    url="branches/{id}/",  # one page per branch ...
    template="record.html",  # ... drawn by the default theme's generic record page
    figure="visits",  # what [[branch-id]] shows in prose
    search=("name", "neighbourhood", "summary"),
    description="Every branch of the town library, with its yearly visits.",
)
class Branch(Record):
    """A library branch."""

    name: str = Field(min_length=1, description="The branch's name.")
    neighbourhood: str = Field(description="Where in town it is.")
    opened: dt.date = Field(description="When it opened.")
    visits: Count = Field(description="Visits counted at the door in the last full year.")
    summary: str = Field("", description="One sentence about the branch.")


@collection(
    "loans",
    label="Interlibrary loans",
    item="Loan count",
    title="Loans from {state}",
    figure="loans",
    search=False,
    description="Books the branches borrowed last year from libraries in other states, by state.",
)
class Loan(Record):
    """Books borrowed from one state's libraries: one record per state; the map joins them by name."""

    state: str = Field(description="The lending libraries' state, as the map's basemap names it.")
    loans: Count = Field(description="Books borrowed from that state's libraries in the last full year.")
