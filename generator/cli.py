"""The `explainer` command line. The only module that prints or exits."""

from __future__ import annotations

import sys
import traceback
from pathlib import Path
from typing import Callable, Optional

import click

from .build import build as run_build, default_cache
from .config import load_config
from .console import Console
from .errors import BuildFailed, Problem, without_absolute_paths

ROOT_OPTION = click.option("--root", type=click.Path(file_okay=False, path_type=Path), default=".", show_default=True, help="Project folder (holds site_src/ and templates/).")
DEBUG_OPTION = click.option("--debug", is_flag=True, help="Show Python tracebacks for unexpected failures.")
QUIET_OPTION = click.option("-q", "--quiet", is_flag=True, help="Print only errors and warnings.")
VERBOSE_OPTION = click.option("-v", "--verbose", is_flag=True, help="Also print how long each stage took.")
CACHE_OPTION = click.option("--cache-dir", "cache_dir", type=click.Path(file_okay=False, path_type=Path), default=None, envvar="EXPLAINER_CACHE_DIR",
                            show_envvar=True, help="Cache folder, kept between builds (a deploy host restores it) [default: ROOT/.cache].")
TIMEOUT_OPTION = click.option("--chart-timeout", "chart_timeout", type=click.FloatRange(min=0, min_open=True), default=None, metavar="SECONDS",
                              help="Stop a chart function or drawing that runs longer, as an error at the chart [default: site.yaml's chart_timeout, or 60].")


def report_failure(problems: list[Problem], console: Console) -> None:
    for problem in problems:
        console.problem(problem)
    errors = sum(1 for p in problems if p.severity == "error")
    console.failure(f"Build failed: {errors} error{'s' if errors != 1 else ''}.")


def shown_paths(root: Path, out_dir: Optional[Path] = None) -> dict[Path, str]:
    """How an internal failure's message shows the project and output folders: relative."""
    out = out_dir if out_dir is not None else root / "output"
    try:
        out_name = out.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        out_name = out.as_posix()  # outside the project: as the user typed it
    return {root: "", out: out_name}


def run_guarded(action: Callable[[], None], debug: bool, console: Optional[Console] = None, shown: Optional[dict[Path, str]] = None) -> None:
    """Run a command body: BuildFailed -> exit 1 with located lines; crashes -> exit 1 with a
    message that names no absolute path of the machine (`shown`: folders and how to name them)."""
    try:
        action()
    except BuildFailed as failed:
        report_failure(failed.problems, console or Console.for_streams())
        sys.exit(1)
    except KeyboardInterrupt:
        click.echo("Interrupted; output/ is unchanged.", err=True)
        sys.exit(130)
    except Exception as err:  # noqa: BLE001 - the last line of defence: no traceback without --debug
        if debug:
            traceback.print_exc()
        message = without_absolute_paths(f"{type(err).__name__}: {err}", shown or {})
        click.echo(f"error: internal failure: {message} (run with --debug for details)", err=True)
        sys.exit(1)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="explainer-press")
def main() -> None:
    """Build data-driven explainer sites from Markdown, data and Altair charts."""


@main.command()
@ROOT_OPTION
@click.option("--out", "out_dir", type=click.Path(file_okay=False, path_type=Path), default=None, help="Output folder [default: ROOT/output].")
@click.option("--strict", is_flag=True, help="Fail on any warning (hand-typed figures, unsourced records, broken links).")
@click.option("--clean", is_flag=True, help="Ignore the cache and rewrite every file.")
@click.option("--drafts", is_flag=True, help="Include explainers marked draft.")
@click.option("--jobs", type=click.IntRange(min=0), default=0, show_default=True, help="Worker processes for charts and pages; 0 means one per core.")
@TIMEOUT_OPTION
@CACHE_OPTION
@QUIET_OPTION
@VERBOSE_OPTION
@DEBUG_OPTION
def build(root: Path, out_dir: Optional[Path], strict: bool, clean: bool, drafts: bool, jobs: int, chart_timeout: Optional[float],
          cache_dir: Optional[Path], quiet: bool, verbose: bool, debug: bool) -> None:
    """Build the site into the output folder.

    A build that takes over a second shows its progress on stderr. Colour is used on a
    terminal unless the NO_COLOR environment variable is set.
    """
    console = Console.for_streams(quiet, verbose)

    def action() -> None:
        config = load_config(root, out_dir, drafts, jobs, chart_timeout, cache_dir)
        with console.progress() as progress:
            report = run_build(config, default_cache(config, enabled=not clean), strict=strict, clean=clean, progress=progress)
        for warning in report.warnings:
            console.problem(warning)
        console.detail(report.drawn.line())
        console.summary(report.summary())

    run_guarded(action, debug, console, shown_paths(root, out_dir))



@main.command("charts")
@ROOT_OPTION
@CACHE_OPTION
@DEBUG_OPTION
def list_charts(root: Path, cache_dir: Optional[Path], debug: bool) -> None:
    """List every chart: id, title, where it is defined and where it is placed."""
    from .build import load_site_charts

    def action() -> None:
        config = load_config(root, cache_dir=cache_dir)
        charts, homes = load_site_charts(config, default_cache(config))
        for chart_id, spec in charts.items():
            placed = homes.get(chart_id, "not placed in any explainer")
            click.echo(f"{chart_id}\t{spec.title}\t{spec.shown}:{spec.line}\t{placed}")
        click.echo(f"{len(charts)} chart{'s' if len(charts) != 1 else ''}.")

    run_guarded(action, debug, shown=shown_paths(root))


@main.command("embed")
@click.argument("chart_id")
@click.option("--format", "kind", type=click.Choice(["iframe", "newsletter", "png"]), default="iframe", show_default=True, help="Which snippet to print.")
@ROOT_OPTION
@CACHE_OPTION
@DEBUG_OPTION
def embed(chart_id: str, kind: str, root: Path, cache_dir: Optional[Path], debug: bool) -> None:
    """Print the copy-paste snippet of one chart, for the configured base URL."""
    from .build import load_data_and_charts
    from .errors import did_you_mean
    from .snippets import chart_snippet

    def action() -> None:
        config = load_config(root, cache_dir=cache_dir)
        cache = default_cache(config)
        data, charts = load_data_and_charts(config, cache)
        if chart_id not in charts:  # a mistyped argument, not a broken build: no "Build failed"
            hint = did_you_mean(chart_id.lower(), charts)  # ids are lowercase: 'Riders-By-Line' finds riders-by-line
            click.echo(f"error: no chart '{chart_id}' in site_src/charts/{hint}; `explainer charts` lists them", err=True)
            sys.exit(1)
        click.echo(chart_snippet(config, data, charts, chart_id, kind, cache))

    run_guarded(action, debug, shown=shown_paths(root))


@main.command("check")
@ROOT_OPTION
@click.option("--out", "out_dir", type=click.Path(file_okay=False, path_type=Path), default=None, help="Built site folder [default: ROOT/output].")
@CACHE_OPTION
@QUIET_OPTION
@DEBUG_OPTION
def check(root: Path, out_dir: Optional[Path], cache_dir: Optional[Path], quiet: bool, debug: bool) -> None:
    """Check the sources and the built site: links, anchors, assets, alt text, charts, page metadata."""
    from .check import check_site

    console = Console.for_streams(quiet)

    def action() -> None:
        config = load_config(root, out_dir, cache_dir=cache_dir)
        problems, checked = check_site(config, default_cache(config))
        for problem in problems:
            console.problem(problem)
        if problems:
            console.failure(f"Check failed: {len(problems)} error{'s' if len(problems) != 1 else ''}.")
            sys.exit(1)
        console.summary(f"Checked {checked} file{'s' if checked != 1 else ''}: no problems.")

    run_guarded(action, debug, console, shown_paths(root, out_dir))


@main.command()
@ROOT_OPTION
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on (0.0.0.0 shows the preview to your network: for local development only).")
@click.option("--port", type=click.IntRange(1, 65535), default=8000, show_default=True, help="Port to listen on.")
@click.option("--open", "open_browser", is_flag=True, help="Open the preview in a web browser.")
@click.option("--livereload/--no-livereload", default=True, show_default=True, help="Reload open pages after every rebuild.")
@click.option("--drafts", is_flag=True, help="Include explainers marked draft.")
@click.option("-q", "--quiet", is_flag=True, help="Print only the address, errors and warnings.")
@TIMEOUT_OPTION
@CACHE_OPTION
@VERBOSE_OPTION
@DEBUG_OPTION
def serve(root: Path, host: str, port: int, open_browser: bool, livereload: bool, drafts: bool, quiet: bool, chart_timeout: Optional[float],
          cache_dir: Optional[Path], verbose: bool, debug: bool) -> None:
    """Preview the site: build it, serve it, rebuild and reload on every save."""
    from .serve import ServeFailed, ServeOptions, serve_site

    console = Console.for_streams(quiet, verbose)

    def action() -> None:
        try:
            serve_site(ServeOptions(root, host, port, open_browser, livereload, drafts, debug, quiet, chart_timeout, cache_dir), click.echo, console.progress)
        except ServeFailed as failed:
            click.echo(f"error: {failed}", err=True)
            sys.exit(1)

    run_guarded(action, debug, shown=shown_paths(root))


@main.group()
def new() -> None:
    """Start a site, an explainer or a chart from a skeleton that builds."""


@new.command("explainer")
@click.argument("title")
@click.option("--slug", default=None, help="File name and URL part [default: made from the title].")
@ROOT_OPTION
@DEBUG_OPTION
def new_explainer_command(title: str, slug: Optional[str], root: Path, debug: bool) -> None:
    """Write site_src/explainers/<slug>.md: a draft with its front matter filled in."""
    from .scaffold import NewFileRefused, new_explainer

    def action() -> None:
        try:
            shown = new_explainer(root, title, slug)
        except NewFileRefused as refused:
            click.echo(f"error: {refused}", err=True)
            sys.exit(1)
        click.echo(f"Wrote {shown}: a draft, so preview it with `explainer serve --drafts`.")

    run_guarded(action, debug, shown=shown_paths(root))


@new.command("chart")
@click.argument("chart_id")
@ROOT_OPTION
@DEBUG_OPTION
def new_chart_command(chart_id: str, root: Path, debug: bool) -> None:
    """Write site_src/charts/<chart_id>.py: a working @chart function to edit."""
    from .scaffold import NewFileRefused, new_chart

    def action() -> None:
        try:
            shown = new_chart(root, chart_id)
        except NewFileRefused as refused:
            click.echo(f"error: {refused}", err=True)
            sys.exit(1)
        click.echo(f"Wrote {shown}: place it in an explainer with a ```chart {chart_id} fence.")

    run_guarded(action, debug, shown=shown_paths(root))


@new.command("site")
@click.argument("folder", type=click.Path(file_okay=False, path_type=Path))
@click.option("--title", default=None, help="The site's title [default: the starter's].")
@DEBUG_OPTION
def new_site_command(folder: Path, title: Optional[str], debug: bool) -> None:
    """Write a starter site into FOLDER (new or empty): one explainer, one dataset, two charts, sources."""
    from .newsite import new_site
    from .scaffold import NewFileRefused

    def action() -> None:
        try:
            written = new_site(folder, title)
        except NewFileRefused as refused:
            click.echo(f"error: {refused}", err=True)
            sys.exit(1)
        click.echo(f"Wrote a starter site in {folder} ({len(written)} files). Next:")
        click.echo(f"  explainer serve --root {folder}    preview it with live reload")
        click.echo(f"  explainer build --root {folder}    build it into {folder}/output/")

    run_guarded(action, debug)
