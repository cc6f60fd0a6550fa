# expect: moved
import asyncio

import heavypkg


async def fetch(value):
    return heavypkg.compute(value)


def numbers(count):
    for index in range(count):
        yield heavypkg.compute(index)


def main():
    return asyncio.run(fetch(3)), list(numbers(3))
