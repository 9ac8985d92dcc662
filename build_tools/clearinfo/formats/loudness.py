"""How loud a page's speech is: integrated loudness as ITU-R BS.1770-4 and EBU R128 define it
(the measure ffmpeg's ebur128 filter makes, and the gate checks), worked out here in Python as the
sound is fed, block by block.

ffmpeg measured each page twice before it was encoded (formats/audio.py, page_gain): each time a
process of its own, fed the whole page again, and turning espeak-ng's 22,050 samples a second into
48,000 to measure them. That was a third of a cold build's CPU time. Here the same measure takes
about a quarter of ffmpeg's time, and agrees with it within 0.01 LU on speech
(tests/test_cold_speed_loudness.py holds it to 0.1 LU).

The measure:
- K-weighting: a high shelf (+4 dB above about 1.7 kHz, roughly how the head changes what reaches
  the ear) then a high-pass at 38 Hz, each a biquad filter with BS.1770's coefficients worked out
  for the sample rate (the formulas of libebur128). The filter is applied as its impulse response
  (up to where it has died away below 1e-10), by FFT, a block at a time, so nothing held grows
  with the page;
- the mean square in blocks of 400 ms, one every 100 ms (75 % overlap), from the first full block,
  as ffmpeg does; a block's loudness is -0.691 + 10 log10(mean square);
- blocks quieter than -70 LUFS are left out (absolute gate), then those more than 10 LU under the
  loudness of the rest (relative gate); the loudness of what is left is the answer.
"""
from __future__ import annotations

import functools
import math
import os

# A build runs `concurrency` processes already: numpy's maths library must not start a thread for
# every CPU in each of them (and a process that forks to speak is simpler with one thread).
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
import numpy as np  # noqa: E402 - after the line above, which numpy reads when it loads

ABSOLUTE_GATE = -70.0   # LUFS
RELATIVE_GATE = -10.0   # LU under the loudness of the blocks over the absolute gate
OFFSET = -0.691         # BS.1770's constant: a 1 kHz tone at full scale measures -3.01 LUFS
RINGING = 1e-10         # the filter's response is cut where it stays below this (at 22,050 a second: 2,000 samples)
LONGEST = 1 << 15       # samples of the response worked out, at most
FFT_SIZE = 1 << 14      # samples in each FFT: the quickest size measured here for a page of speech


def k_weighting(rate: int) -> list[tuple[tuple[float, float, float], tuple[float, float]]]:
    """The two biquad filters of BS.1770's K-weighting at `rate` samples a second, as
    ((b0, b1, b2), (a1, a2)): the high shelf, then the high-pass (libebur128's formulas)."""
    f0, gain, q = 1681.974450955533, 3.999843853973347, 0.7071752369554196
    k = math.tan(math.pi * f0 / rate)
    vh, a0 = 10 ** (gain / 20), 1 + k / q + k * k
    vb = vh ** 0.4996667741545416
    shelf = ((vh + vb * k / q + k * k) / a0, 2 * (k * k - vh) / a0, (vh - vb * k / q + k * k) / a0), \
        (2 * (k * k - 1) / a0, (1 - k / q + k * k) / a0)
    f0, q = 38.13547087602444, 0.5003270373238773
    k = math.tan(math.pi * f0 / rate)
    a0 = 1 + k / q + k * k
    high_pass = (1.0, -2.0, 1.0), (2 * (k * k - 1) / a0, (1 - k / q + k * k) / a0)
    return [shelf, high_pass]


@functools.lru_cache(maxsize=8)
def impulse_response(rate: int) -> tuple[float, ...]:
    """The K-weighting filter's output for a single 1, up to where what follows is all below
    RINGING (pure Python: once a process for each sample rate)."""
    signal = [1.0] + [0.0] * (LONGEST - 1)
    for (b0, b1, b2), (a1, a2) in k_weighting(rate):
        out, x1, x2, y1, y2 = [], 0.0, 0.0, 0.0, 0.0
        for x in signal:
            y = b0 * x + b1 * x1 + b2 * x2 - a1 * y1 - a2 * y2
            x2, x1, y2, y1 = x1, x, y1, y
            out.append(y)
        signal = out
    end = len(signal)
    while end > 1 and abs(signal[end - 1]) < RINGING:
        end -= 1
    return tuple(signal[:end])


def sound_span(sound: bytes, threshold: int) -> tuple[int, int]:
    """The first sample of `sound` (little-endian 16-bit) louder than `threshold` either way, and the
    one after the last; (0, the number of samples) when none is."""
    samples = np.frombuffer(sound, dtype="<i2").astype(np.int32)  # int32: -32768 has no int16 opposite
    loud = np.flatnonzero(np.abs(samples) > threshold)
    return (int(loud[0]), int(loud[-1]) + 1) if loud.size else (0, samples.size)


class Meter:
    """Integrated loudness of sound fed in order: `write` takes raw little-endian 16-bit samples
    (what formats/audio.py feeds ffmpeg), `add` takes samples as numbers from -1 to 1. Mono."""

    def __init__(self, rate: int):
        self.step = max(1, round(rate / 10))                # 100 ms
        response = np.array(impulse_response(rate))
        self.size = max(FFT_SIZE, 1 << (4 * response.size - 1).bit_length())
        self.hop = self.size - response.size + 1            # new samples filtered in each FFT
        self.response = np.fft.rfft(response, self.size)
        self.tail = np.zeros(response.size - 1)             # the filter's ringing carried into the next block
        self.waiting: list[np.ndarray] = []                 # samples not filtered yet
        self.waiting_count = 0
        self.filtered = np.zeros(0)                         # filtered samples short of a whole 100 ms
        self.energies: list[np.ndarray] = []                # each 100 ms's sum of squares

    def write(self, data: bytes) -> int:
        self.add(np.frombuffer(data, dtype="<i2") / 32768.0)
        return len(data)

    def read_floats(self, file, piece: int = 1 << 18) -> None:
        """Add the samples read from `file` (a pipe or a file) as little-endian 32-bit floats
        (ffmpeg's f32le), a piece at a time, to its end."""
        left = b""
        while chunk := file.read(piece):
            chunk = left + chunk
            whole = len(chunk) // 4 * 4  # a pipe may hand over part of a sample
            self.add(np.frombuffer(chunk[:whole], dtype="<f4"))
            left = chunk[whole:]

    def add(self, samples) -> None:
        samples = np.asarray(samples, dtype=np.float64)
        if samples.size:
            self.waiting.append(samples)
            self.waiting_count += samples.size
        while self.waiting_count >= self.hop:
            self._filter(self._take(self.hop))

    def _take(self, count: int) -> np.ndarray:
        joined = np.concatenate(self.waiting) if len(self.waiting) > 1 else self.waiting[0]
        taken, rest = joined[:count], joined[count:]
        self.waiting, self.waiting_count = ([rest] if rest.size else []), rest.size
        return taken

    def _filter(self, block: np.ndarray) -> None:
        """Filter one block (overlap-add): its own samples are final once the last block's ringing is added."""
        out = np.fft.irfft(np.fft.rfft(block, self.size) * self.response, self.size)
        out[:self.tail.size] += self.tail
        self.tail = out[block.size:block.size + self.tail.size].copy()
        self._squares(out[:block.size])

    def _squares(self, filtered: np.ndarray) -> None:
        joined = np.concatenate([self.filtered, filtered])
        whole = joined.size // self.step * self.step
        if whole:
            self.energies.append(np.square(joined[:whole]).reshape(-1, self.step).sum(axis=1))
        self.filtered = joined[whole:]

    def integrated(self) -> float | None:
        """The loudness in LUFS of everything fed so far; None when no block is over the absolute
        gate (silence, or less than 400 ms of sound)."""
        if self.waiting_count:
            self._filter(self._take(self.waiting_count))
        energies = np.concatenate(self.energies) if self.energies else np.zeros(0)
        if energies.size < 4:
            return None
        blocks = (energies[:-3] + energies[1:-2] + energies[2:-1] + energies[3:]) / (4 * self.step)
        with np.errstate(divide="ignore"):
            loud = OFFSET + 10 * np.log10(blocks)
        kept = blocks[loud > ABSOLUTE_GATE]
        if not kept.size:
            return None
        gate = OFFSET + 10 * math.log10(kept.mean()) + RELATIVE_GATE
        kept = blocks[(loud > ABSOLUTE_GATE) & (loud > gate)]
        return OFFSET + 10 * math.log10(kept.mean())
