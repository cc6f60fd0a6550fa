import prv
import shr


def report():
    return len(prv.BLOB), shr.TOTAL
