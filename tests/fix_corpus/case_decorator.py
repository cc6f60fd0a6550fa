# expect: left alone: LA206 (decorator)
import heavypkg


@heavypkg.register
def handler():
    return "handled"


def main():
    return handler(), heavypkg.REGISTRY
