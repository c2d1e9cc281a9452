"""The docs gate's extractor: blocks, line numbers, markers, the mapped addresses."""

import pytest

from tests.docs.extract import DocError, addresses, check_links, parse
from tests.docs.run import READING_ORDER, REPO, default_docs


def test_blocks_with_language_line_and_file_path():
    doc = "# T\n\n```yaml\n# inventory.yml\ncameras: {}\n```\n\ntext\n\n```bash\necho hi\n```\n"
    yaml_block, shell_block = parse("d.md", doc)
    assert (yaml_block.kind, yaml_block.line, yaml_block.target_path) == ("file", 4, "inventory.yml")
    assert yaml_block.text == "# inventory.yml\ncameras: {}\n"
    assert (shell_block.kind, shell_block.line, shell_block.text) == ("shell", 11, "echo hi\n")


def test_yaml_without_path_prose_and_tilde_fences():
    doc = "```yml\n- hosts: all\n```\n```\nplaybook -> module\n```\n~~~text\nout\n~~~\n"
    kinds = [b.kind for b in parse("d.md", doc)]
    assert kinds == ["yaml", "prose", "prose"]


def test_blocks_inside_list_items_lose_their_indent():
    doc = "- step:\n\n     <!-- doc-test: illustrative -->\n     ```yaml\n     a:\n       b: 1\n     ```\n"
    (block,) = parse("d.md", doc)
    assert (block.kind, block.line, block.text) == ("illustrative", 5, "a:\n  b: 1\n")


def test_a_path_comment_needs_a_file_name():
    (block,) = parse("d.md", "```yaml\n# what the camera should have\nx: 1\n```\n")
    assert block.target_path is None and block.kind == "yaml"


def test_markers_right_above_the_fence():
    doc = ('<!-- doc-test: illustrative: an AWX injector -->\n```yaml\na: 1\n```\n'
           '<!-- doc-test: skip: runs the tests -->\n```bash\nbash scripts/test\n```\n'
           '<!-- doc-test: background until "camera 2:" -->\n```bash\npython3 -m tests.emulator --port 8080\n```\n'
           '<!-- doc-test: scale: --cameras 3 --latency-ms 5 -->\n```bash\nbench --cameras 30 --latency-ms=20 -f 5\n```\n')
    illustrative, skipped, background, scaled = parse("d.md", doc)
    assert (illustrative.kind, illustrative.not_run.reason) == ("illustrative", "an AWX injector")
    assert (skipped.kind, skipped.not_run.reason) == ("skip", "runs the tests")
    assert (background.kind, background.marker("background").ready) == ("background", "camera 2:")
    assert scaled.kind == "shell"
    assert scaled.scaled_text() == "bench --cameras 3 --latency-ms 5 -f 5\n"


def test_a_marker_separated_by_text_does_not_apply():
    (block,) = parse("d.md", "<!-- doc-test: skip: x -->\nsome text\n```bash\ntrue\n```\n")
    assert block.kind == "shell"


@pytest.mark.parametrize("doc, message", [
    ("<!-- doc-test: ilustrative -->\n```bash\ntrue\n```\n", "d.md:1: unknown doc-test marker"),
    ("<!-- doc-test: skip -->\n```bash\ntrue\n```\n", "d.md:1: 'skip' needs a reason"),
    ("\n```python\nprint(1)\n```\n", "d.md:3: the gate cannot run a 'python' block"),
    ("<!-- doc-test: scale: --cameras 3 -->\n```bash\nbench --count 30\n```\n",
     "d.md:3: the scale marker names --cameras"),
    ("<!-- doc-test: scale: --cameras -->\n```bash\nbench\n```\n", "d.md:1: 'scale' needs option/value pairs"),
    ('<!-- doc-test: background until "up" -->\n```bash\nserver\nclient\n```\n',
     "d.md:3: a background block holds exactly one command"),
    ('<!-- doc-test: background until "up" -->\n```yaml\na: 1\n```\n', "d.md:3: background and scale apply"),
    ("<!-- doc-test: skip: x -->\n<!-- doc-test: scale: --n 1 -->\n```bash\nrun --n 5\n```\n",
     "d.md:4: a block that is not run takes no other marker"),
    ("text\n```bash\ntrue\n", "d.md:2: the fenced block opened here is never closed"),
])
def test_what_the_gate_refuses_names_doc_and_line(doc, message):
    with pytest.raises(DocError) as err:
        parse("d.md", doc)
    assert str(err.value).startswith(message)


def test_addresses_outside_loopback_in_blocks_that_run():
    doc = ("```yaml\n# inventory.yml\nh: {ansible_host: 10.1.2.3}\nl: 127.0.0.1\nz: 0.0.0.0\n```\n"
           "```bash\ncurl https://10.1.2.3/ https://192.168.7.9/ # 300.1.1.1\n```\n"
           "<!-- doc-test: illustrative -->\n```yaml\nh: 172.16.0.9\n```\n"
           "```text\n10.9.9.9\n```\n")
    assert addresses(parse("d.md", doc)) == ["10.1.2.3", "192.168.7.9"]


def test_the_repository_docs_follow_the_convention():
    docs = default_docs()
    assert docs[:len(READING_ORDER)] == list(READING_ORDER)
    for doc in docs:
        parse(doc, (REPO / doc).read_text())      # raises DocError with doc:line otherwise


def test_links_name_files_and_headings_of_the_repository(tmp_path):
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "fleet.md").write_text("# Fleets\n\n## Long jobs: format, `async`\n```\n# not a heading\n```\n")
    (tmp_path / "README.md").write_text("x")
    good = ("See [fleet](fleet.md#long-jobs-format-async), [top](../README.md), [web](https://example.com/x),\n"
            "`[code](../../outside.md)` and\n```\n[in a block](../../outside.md)\n```\n")
    check_links("docs/guide.md", good, tmp_path)
    for text, message in (
            ("\n[design](../../shared/DESIGN.md)", "docs/guide.md:2: the link ../../shared/DESIGN.md leaves the repository"),
            ("[gone](missing.md)", "docs/guide.md:1: the link missing.md names no file"),
            ("[x](fleet.md#not-a-heading)", "docs/guide.md:1: the link fleet.md#not-a-heading names no heading of fleet.md")):
        with pytest.raises(DocError) as err:
            check_links("docs/guide.md", text, tmp_path)
        assert str(err.value).startswith(message)


def test_the_repository_docs_link_only_inside_the_repository():
    for doc in default_docs():
        check_links(doc, (REPO / doc).read_text(), REPO)
