# expect: moved
import heavypkg


def names(items):
    return [heavypkg for heavypkg in items], heavypkg.compute(2)


def build():
    class Local:
        heavypkg = "shadow"

        def method(self):
            return heavypkg.compute(3)

    return Local().method(), Local.heavypkg


def main():
    return names([1, 2]), build()
