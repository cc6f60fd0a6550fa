# expect: left alone: used at import time: decorator
import heavypkg


@heavypkg.register
def handler():
    return "handled"


def main():
    return handler(), heavypkg.REGISTRY
