# expect: left alone: used at import time: base class
from heavypkg import Base


class Thing(Base):
    kind = "thing"


def main():
    return Thing().describe()
