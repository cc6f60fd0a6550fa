# expect: moved
# -*- coding: utf-8 -*-
import heavypkg

GREETING = "héllo"


def main():
    return heavypkg.compute(1), GREETING
