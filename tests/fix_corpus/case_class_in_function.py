# expect: moved
from heavypkg import Base


def build():
    class Local(Base):
        kind = "local"

    return Local().describe()


def main():
    return build()
