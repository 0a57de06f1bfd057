"""The Unicode ``Script`` property of every code point, numbered as ICU's ``UScriptCode`` (what
``tf.strings.unicode_script`` returns), as TensorFlow 2.21's ICU assigns it.

Stored as ranges: the first code point of each run of equal script (little-endian uint32) followed by each
run's script (uint8), zlib-compressed and base64-encoded. ``table()`` expands them into a two-level
lookup (script pages of 256 code points, and which page each block of 256 uses).
"""

from __future__ import annotations

import base64
import zlib

import numpy as np

RANGES = 1587
_DATA = (
    "eNql2QucVePeB/BnD9VITVdpdBvXLm5TSneNS6VibET3mkN6vC6ZDhE+abtE6TZyXo4o2105L1MICYOjEjKudUImB+c4LmdE6ar3u3c4J+9xvJ/P+fzm"
    "u9dn9l5rPc961n89a6+ZEEI4lmH8hitZwEMs4WkqWM0avmMzT+WEUMUn/I0vCHuEUMoljGcCV3AVk0hxHZO5nhuYwjSmM4OZ3M09fEQ1YU/bcAOFNUJo"
    "zyCGMI0ZlHETK6jkc/7ORkLNEGpQkzrUpRnNaUFLWlFAEccygDMpZRwfsI5QK4Q86jGAk0mSYhEVbGMHITeEIyikF0UMZySjKOF80jzOYlbwFh/xZ8Je"
    "IZzKGYxmDCmuYzIzmMVN3Mx8FrCQRTzKYpawlJdYzsu8wuusZg3vs44P+ZhP2UmitlNADfamHg1oRFva0Z4OdKQTnelCN3rQk2M4nr70YwDFnMppDGEE"
    "IxnFGC7jaq5jMjOZxWxuZj4LWMgiHuNxlrCUZSxnJa+wikreoIqP+ZQNbCHs7XjZkxrUpR4NaERb2tGeDnSkE93oQW/60o8BFHMGgxnOSEYxmjFM4Bqu"
    "YzLTmMlNzOYWbuN27mAu80hzD/fxIA/xMEt4lhdZxsusZBWVvMFq1vAp2wh1HCd5NKAhbWlHN3rSmz70oz/FnMEgBjOMEkYzhlIuI8UMZnITs5nPAh7j"
    "cZawlJdYxsusZBXvsJp1fEgVH/Mp1XzNN4S6fsijAQ3pTR/60Z8kAxnNGFJczXVM5lbmsIhHWcozPEsFy1nJK7zOO7zLatZQxadUs4GNJPJC6E4vihjO"
    "1VzLdUzmeqYxnXu5j/t5gGep4CWWsZwVrKKStbxPFaFeCCfSjwsZx++5jWd4ltdYxTv8ifcI9dUTy1jOCl5jFZVsYzuhAQ3tn/4Uk2QQgxnCUEZSwlRu"
    "ZCZlLGQRi3mS56jgeV5gGStYzRoaNNIcTWjKMEYwkRRzSLOJzXxPaOyzJq4T0nzOV2wh7KtGyGMfCuhEZ4oYSAkXMpZx/JZLSLGOKv5GNVsJTUPIYU9q"
    "UJN61Gc/CricFA9RziZCvnsOBRxGIT0o4lhOIMlYShlPij9QzkoqeY91VBH2c0+jJQWMooSJTOJGyphDmocp53lCsxBOIslEUlTwLdsJzc3ndKc/J5Mk"
    "xVTKeJpnqGAFlbzF26znIz7jS77iWzayma1sI7QI4RAO5TBGcBZjOJ8JXM5zVLCVbYSWtFIrNKUlBfThRIpJMpghDGUYwxnBSEZxFSkeZzEvsYy3eZf3"
    "+YBqNrCRTewkFJhKyeMcxjCO33IJk0gxizLmkqaCSr4m7O/4aU07DqMDR1HMKZQwlemUZdY9SN0wgBJCG9pq89AQLuUWbiUcFsKRFDKKElJ8yxbC4dqm"
    "NW04nCMo5FwuYhyTSHEraR7gQR6hnCd4kueoYDkreJ1KVrOGD6kiHBHC6aSYw+18SzjSmFPNdkKha4ya1CKX/WnHERTShR4UcSy3chu3M5c0d7GNHYT2"
    "9kkh7ZlFGWkq+JhqQgflRQElTKKSnYSj1BWho21Otiy27zst0+5999ofy6kk3Oc03K9/pNlMeCCEA5jCNCp4gVfYSHjQuaCQbhQxgRTLWMVaqgjzjQVH"
    "UshARlHCRFKs4nUqWcs6qtg5f9eX/84UUUySoQynhBQv8h5VfEfCw0It9qIeDdiXAlrThiMpZBjDOYcxnMcFlFLBV1SzNfMA8gf3Qw8e5SznFbZnHkS2"
    "mBe32oa1hG3apxFNaUFnutCTY+hFEcdxPL3pQ5IXeCuz3g7rkKSM2aygmu8J35vX2Y8CjqCQ0xlI5FwuoJTxXMoOdhJ2Giv2pzvHMowxlDKOeaR5jhdY"
    "wUoqeZM1rOUDqvgLf+XvbOF7tOIrXcJXokRoTRu604Nj6EUxSUaSYhshkQh7UIuOdKaIWZQxlzR3UckOvieV4zPSvEEV69mOHYaDOJxCBpDkSlLM407S"
    "/JEVvEvY03qkmEeaBZTzNmvYTqjh+ChkNBdRSqip/7X0nzMp4VxCbiLUJJe9qM3RdKYrPehJL4o4k0GUkOJOHqCcKr7hWzaxjbBXIjSnFQV0oxdFpEjz"
    "JEup5E1C7YTnq4TnK2NPHRqzD03J52i60J1e9CPJEEpIkaaCv/A53xH2ti1dKeJMBlPCxUwgxWxuYy7zKSfU0Q4pHqWCb9hKqGvcKaQbJXmJMIkUC3iI"
    "hylnEaGe9SlkKOW8ShXfEeqrSU6jlEmkeIHXWEUln1HNVkKDROjE0ZxIkstIUcV6NhIaJkJDGtGLFDcwhancyExmMY87WUA5n1PNVkIj54ka1KUeDWhE"
    "W9rRng50pBPd6E4PetOXfgygmCSnMojBjGA0Y7iQUsYTGifCcEZwFilWUMnazO/7JMJinmQdoYn2SDKUEi4kxVNUsJKwbyI0owWHUUgRoak+k+YbdhLy"
    "1Sd7UZs6NGYf9qUpR9OZrnSnL0mGkuZBFrCGtXxC2M/5I8k9VLCF0Fxb1KYzXehDkgsppYzZPMh8niC00E9yqc3edKYb3enBMfTiRJIMpYQxRP6L85hF"
    "GbO5mdtIs4CqlvpJeatEWEgFG9hJKEiEOQdaHmROopTxpDjhYO8XJsKRHY03XQknGKs+luf6/TzngFGUcB5jKaWSr6hmE+F8Y0KSoQzjLM5mAhMpo2hs"
    "ItxOuEjtcQpTmEWaKtbzER/zCdVsIJQmwuYbLKcwzfw83XKGc0MoT4QErRbqA6czmnMpZfsi6yxNhPMpZSIpplLGHO4gzb24sYRNhDfcu2hL5Dyu5Fom"
    "M50FPMxnhDeNA1V8S3jLNUUJlxPeToQzOJO5zCPN3dzDfTzAfP6Hh1nC0yzlGf7IS9R8R32xN3XZhya0oCXd6E4viuhNH/rSn1M5jfvfVbe8utr8Rljj"
    "uNY6T6S5i3JClfbIJZ9mHMCBHMwhHEpY7z5LIcdQRH+KSVLxkXmMnYQ/81fHw3JWEz5LhJNIMpSRlDDui0R4nMSX9kv4yjxIDQrYnwM5iINpTRvachQd"
    "6UJXutGdHhzH8fTlRPrRnwGcxMkkOZXTGcgZDGIwQxjKMIYzgpGMooTfcDajOYfI+VzAxVzCBC5nIlcxiRQ3Mo07uIt7uY8FPMRSqtlAqDZ3UsjvSPMI"
    "C6ngeSp5g02Er9UXnxI2GFf2oD49KKIfSU6jhDGEb8ybm9Q4X1LNDsJ3joUUf6KKLwibzdHU50SSDKWEKZTxMOUsImwxFlzBq7zGwK3WZyyljGcCV5Li"
    "BsqYTzlPUMGLVLKasM3cye94hWq2EkJOWHd/juefnNDpiZxQRMsnc0IBd6/KCeWs/9znm72/ddc/GAY02sM31Txb5nnczvPdNS/7R7bqzB/a8n+WGplP"
    "8uIPMq+Z1MrLTeTGPbJplE1OyGbXMiEh54AoOQfHQXHQVfGqOFAOiDkxu07tRO1Qe8/4y6n/K6n3b9Lq3+TAX8lB/zr7xF/Kfrtl/1/IITEcEpv+y7T+"
    "R0Lr2LxOzCbUabh3/PXUlDYtYkEoiO3k0BAPi4dns282zYLEXWkTC39Mx9gxdt+VfTvHzufFH5OIx8i4XrHXaVEuzM30ZVx0gf2UmJ+Xm58nXhMxkf9D"
    "SfxiMpuEfD+2jEELyujH6orZHJF97RK7xPxasdauAeiRyf893twQG2RjgwaZJBp6jY31sHFoEprEGrFhVLSxiUXDzDuZlWJbufbsmHtNphv5+pHfzR6G"
    "xouk9inhlLFxbMNYHENxLG4ej9uV5pPipIv/qWkb5ulxzYvjxdrIJNOP/J+ugGwyxb2rxvUoJnJ3HWHm15BtOtujhvHH7Pq4/W7JvmfYskMXz4/nZvbU"
    "MrasG4fETrFTz9gz7nVUh9ghPiRT4p1yejZH/iOXxEvKZsVZ8e5MhsVhF8QL4pkzonSNu2fyzHi5jI/jJ8aJV8QrroyZDI4nZbI4LtbzimyejE/EZ+JT"
    "8dhMJsQJ8fdyqaTjrQp8rtz7U26SqbslMfVnbyyQeXK/3CPN4m1yVzaL4uw4+9m4e57OZmEsj/fFB3/I/Gwe2S2P/lMei9dmrupz4q70lTviNfG/s7le"
    "BvyUx+PwbObcEp5zXufEOc95adJYbTWJt8QbfswPNfvT1ZD3w0n8f6c0ZtLlpyz5IUtlujyQzY9l85/mZ403DvE/SYPdErKX8/8CWBxwaQ=="
)


def table() -> tuple:
    """(uint8 page of each 256-code-point block, uint8 ``[pages * 256]`` scripts of the distinct pages)."""
    raw = zlib.decompress(base64.b64decode("".join(_DATA)))
    starts = np.frombuffer(raw, "<u4", RANGES).astype(np.int64)
    codes = np.frombuffer(raw, np.uint8, RANGES, offset=4 * RANGES)
    lengths = np.diff(np.append(starts, 0x110000))
    scripts = np.repeat(codes, lengths).reshape(-1, 256)
    pages, which = np.unique(scripts, axis=0, return_inverse=True)
    return which.reshape(-1).astype(np.uint8), pages.reshape(-1)
