"""The audio step of the build: each page's words are collected as its HTML is made,
spoken (cached, `concurrency` at a time) once all pages exist, and the player gets the MP3, its size and
the sentence and word timings before any page is written.

With `audio_engine: piper`, Piper's program and voice are found when the step starts, so a
missing one stops the build at once with what to do (formats/piper.py). A page in another
language than the Piper voice's is said by espeak-ng in its own language: a Piper voice speaks one."""
from __future__ import annotations

import json
from pathlib import Path

from ..cache import place
from ..formats.audio import AudioJob, Voice, duration_text, make_audio
from ..formats.pdfs import human_size
from ..clock import build_date
from ..content.notice import NOTICE_BLOCK
from ..formats.piper import find_model, find_program, model_language
from ..formats.speech import Pronouncer, SpeechItem, review_items, speech_items, transcript

SKIP = ("coverage.md",)
EASY_READ = "easy-read/"  # where the engine puts Easy Read pages (easyread/<topic>.md)


class AudioStep:
    def __init__(self, project, glossary, info):
        opts = project.options
        self.project, self.info = project, info
        self.enabled = bool(opts["audio"])
        self.voice = Voice(language=str(opts["audio_language"]), voice=str(opts["audio_voice"] or ""),
                           rate=int(opts["audio_rate"]))
        if self.enabled and opts.get("audio_engine") == "piper":
            model = find_model(str(opts.get("audio_voice_model") or ""), project.root)
            self.voice = Voice(language=model_language(model) or self.voice.language, rate=self.voice.rate,
                               engine="piper", model=model,
                               program=find_program(str(opts.get("audio_piper") or ""), project.root))
        abbreviations = {t.abbreviation: t.term for t in glossary.terms if t.abbreviation}
        self.say = Pronouncer(opts.get("pronunciations") or {}, abbreviations)
        self.notice = project.notice(build_date())
        self.jobs: dict[str, tuple[AudioJob, str]] = {}   # src file -> (job, page url)
        self.players: dict[str, dict] = {}
        self.tally: dict = {}  # how many MP3s were made, and how many reused from the cache
        self.files: dict[str, tuple[str, bytes | Path]] = {}

    def keep(self, src: str, url: str, title: str, summary: str | None, html: str, wanted: bool,
             language: str | None = None, review: tuple | None = None) -> str:
        """Collect the page's words; returns its HTML with the blocks numbered for read-along.
        `review`: the page's last and next review dates, said at the end (in English only: the
        sentence is the site's own words, not the page's)."""
        if not self.enabled or not wanted or src in SKIP:
            return html
        annotated, items = speech_items(title, summary, html, self.say)
        if self.notice and not language:  # the urgent notice, straight after the title
            items[1:1] = [SpeechItem(NOTICE_BLOCK, f"Important: {self.notice}", self.say(f"Important: {self.notice}"))]
        if review and not language:
            items += review_items(*review, self.say)
        name = (src[:-3] if src.endswith(".md") else src).replace("/", "-")
        name = "home" if name == "index" else name
        voice = self._voice_for(language)
        council = self.project.settings.council.get("name", "")
        self.jobs[src] = (AudioJob(name, title, council, items, voice, source=self._shown(src)), url)
        return annotated

    def _voice_for(self, language: str | None) -> Voice:
        """The site's voice, or for a page in another language, espeak-ng's voice for that language
        (a Piper voice speaks one language: a page in its language keeps it)."""
        if not language:
            return self.voice
        if self.voice.engine == "piper" and language.lower().split("-")[0] == self.voice.language.split("-")[0]:
            return self.voice
        return Voice(language=language, voice="", rate=self.voice.rate)

    def _shown(self, src: str) -> str:
        """The page's file as its writers know it, for messages (content/complaints.md,
        easyread/complaints.md); empty for a page Clearinfo writes itself."""
        if src.startswith(EASY_READ):
            folder, rel = self.project.root / str(self.project.options["easy_read_dir"]), src[len(EASY_READ):]
        else:
            folder, rel = self.project.content_dir, src
        return f"{folder.name}/{rel}" if (folder / rel).is_file() else ""

    def run(self) -> None:
        if not self.jobs:
            return
        self.info(f"Audio: {len(self.jobs)} pages")
        made = make_audio([job for job, _ in self.jobs.values()],
                          self.project.cache_dir / "audio", self.project.concurrency, say=self.info, tally=self.tally,
                          shard=self.project.shard)
        for src, (job, url) in self.jobs.items():
            if job.name not in made:  # a shard build (--shard) makes only its share
                continue
            mp3, timings = made[job.name]
            base = f"{url}{job.name}-audio"
            seconds = timings[-1]["e"] if timings else 0
            self.files[base + ".mp3"] = ("copy", mp3)
            compact = json.dumps(timings, ensure_ascii=False, separators=(",", ":"))  # no spaces: a smaller page
            self.files[base + ".json"] = ("text", compact)
            self.files[f"{url}{job.name}-transcript.txt"] = ("text", transcript(job.items))
            self.players[src] = {
                "mp3": base + ".mp3",
                "transcript": f"{url}{job.name}-transcript.txt",
                "size": human_size(mp3.stat().st_size),
                "duration": duration_text(seconds),
                "timings": compact.replace("</", "<\\/"),
                # Word by word for a natural voice; sentence by sentence, as before, for espeak-ng
                # (the listener can choose either: player.js).
                "highlight": "words" if job.voice.engine == "piper" and any(t.get("w") for t in timings)
                             else "sentences",
            }

    def write(self, site_dir: Path) -> None:
        for rel, (kind, value) in self.files.items():
            target = site_dir / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            if kind == "copy":
                place(Path(value), target)
            else:
                target.write_text(value, encoding="utf-8")
