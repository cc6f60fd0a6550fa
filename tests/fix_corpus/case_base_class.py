# expect: left alone: LA206 (base class)
from heavypkg import Base


class Thing(Base):
    kind = "thing"


def main():
    return Thing().describe()
