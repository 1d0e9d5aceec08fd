"""Decimal latitude and longitude as a degrees-minutes-seconds dateline."""

from __future__ import annotations

#: Tenths of an arcsecond in a degree and in a minute.
_PER_DEGREE = 36_000
_PER_MINUTE = 600


def dms(lat: float, lon: float) -> str:
    """Format a position like ``31°46′40.7″N 35°14′07.7″E``.

    Seconds are rounded to the nearest tenth, carrying into minutes and
    degrees, so 59.96″ never prints as 60.0″. Raises ``ValueError`` for a
    latitude outside ±90 or a longitude outside ±180.
    """
    if not -90 <= lat <= 90:
        msg = f"latitude {lat} is not between -90 and 90"
        raise ValueError(msg)
    if not -180 <= lon <= 180:
        msg = f"longitude {lon} is not between -180 and 180"
        raise ValueError(msg)
    return f"{_angle(lat, 'N', 'S')} {_angle(lon, 'E', 'W')}"


def _angle(value: float, positive: str, negative: str) -> str:
    tenths = round(abs(value) * _PER_DEGREE)
    degrees, rest = divmod(tenths, _PER_DEGREE)
    minutes, seconds = divmod(rest, _PER_MINUTE)
    hemisphere = negative if value < 0 and tenths else positive
    return f"{degrees}°{minutes:02d}′{seconds // 10:02d}.{seconds % 10}″{hemisphere}"
