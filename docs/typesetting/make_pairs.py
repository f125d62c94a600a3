#!/usr/bin/python3
"""Every formula the window shows, rendered by aelab and by KaTeX at 2x, side by side.

aelab's come from build/tests/formula_png (the window's own fonts, layout and OpenGL renderer,
under Xvfb); KaTeX's from libjs-katex in headless Chromium, at the size that gives its letters
the same x-height as aelab's (KaTeX's font is Computer Modern, whose x-height is 0.431 em
against DejaVu's 0.519). Both are trimmed to their ink with the same margin. Writes
docs/typesetting/{aelab,katex}/NAME.png and docs/typesetting/index.md (notes.md, then the
table). Run by docs/typesetting/make_pairs, which installs what it needs.
"""
import glob
import html
import json
import os
import subprocess
import sys
import tempfile

from PIL import Image, ImageChops

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
HERE = os.path.join(ROOT, 'docs', 'typesetting')
KATEX = '/usr/share/javascript/katex'

# aelab draws display formulas at 1.15 x 16 px (ImGui's size: ascent + descent of DejaVu,
# 2384/2048 em) and prose and inline maths at 16 px. In CSS pixels of an em:
DISPLAY_EM = 1.15 * 16 * 2048 / 2384
TEXT_EM = 16 * 2048 / 2384
X_HEIGHT_RATIO = 0.519 / 0.431  # DejaVu Serif's x-height over Computer Modern's
PROSE_WIDTH = 600               # formula_png wraps prose there

# The Lesson panel's chain rule of lesson 03 (app/panels/lesson_panel.cpp builds it from the
# picked weight and its live factors): one instance of each line.
BACKPROP = [
    ('backprop-decoder', 'display',
     r'\frac{\partial J}{\partial W^d_{12,406}} = (\hat{x}_{406} - x_{406}) \cdot \hat{x}_{406}(1 - \hat{x}_{406}) \cdot h_{12}'),
    ('backprop-encoder', 'display',
     r'\frac{\partial J}{\partial W^e_{406,12}} = \Big[\sum_j (\hat{x}_j - x_j) \hat{x}_j(1 - \hat{x}_j) W^d_{12,j}\Big] \cdot h_{12}(1 - h_{12}) \cdot x_{406}'),
    ('backprop-numbers', 'display', r'= (-0.1234) \cdot 0.1846 \cdot 0.7311 = -0.0166557'),
]


def items():
    """(name, kind, text, where) for every formula and every paragraph with inline maths."""
    out = []
    for path in sorted(glob.glob(os.path.join(ROOT, 'assets', 'lessons', '*.json'))):
        lesson = json.load(open(path, encoding='utf-8'))
        number = os.path.basename(path)[:2]
        where = f'lesson {number}, {lesson["title"]}'
        for i, tex in enumerate(lesson.get('formulas', [])):
            out.append((f'{number}-formula-{i + 1}', 'display', tex, where))
        prose = [('intro', lesson.get('intro', ''))]
        prose += [(f'step-{i + 1}', s['text']) for i, s in enumerate(lesson['steps'])]
        for name, text in prose:
            if '$' in text:
                out.append((f'{number}-{name}', 'prose', text, where))
        if lesson.get('widget') == 'backprop':
            out += [(n, k, t, where + ', the chain rule by hand') for n, k, t in BACKPROP]
    return out


def katex_page(kind, text):
    em = (DISPLAY_EM if kind == 'display' else TEXT_EM) * X_HEIGHT_RATIO
    if kind == 'display':
        body = f'<div id="f"></div><script>katex.render({json.dumps(text)}, document.getElementById("f"), ' \
               '{displayMode: true, throwOnError: false});</script>'
    else:
        body = f'<div id="f">{html.escape(text)}</div><script src="file://{KATEX}/contrib/auto-render.js">' \
               '</script><script>renderMathInElement(document.getElementById("f"), {delimiters: ' \
               '[{left: "$", right: "$", display: false}], throwOnError: false});</script>'
    return f'''<!DOCTYPE html><html><head><meta charset="utf-8">
<link rel="stylesheet" href="file://{KATEX}/katex.min.css"><script src="file://{KATEX}/katex.min.js"></script>
<style>body {{ margin: 0; background: white; color: black }}
#f {{ display: inline-block; margin: 16px; font-family: "DejaVu Sans"; font-size: {TEXT_EM:.2f}px;
     width: {PROSE_WIDTH if kind == "prose" else 2000}px }}
.katex {{ font-size: {em:.2f}px }} .katex-display {{ margin: 0; text-align: left }}
.katex-display > .katex {{ text-align: left }}</style></head><body>{body}</body></html>'''


def trim(path, margin=16):
    image = Image.open(path).convert('RGB')
    box = ImageChops.difference(image, Image.new('RGB', image.size, (255, 255, 255))).getbbox()
    if box:
        image = image.crop((max(0, box[0] - margin), max(0, box[1] - margin),
                            min(image.size[0], box[2] + margin), min(image.size[1], box[3] + margin)))
    # Black on white: sixteen greys keep the anti-aliasing and a third of the bytes.
    image.convert('L').quantize(colors=16).save(path, optimize=True, bits=4)


def render_katex(name, kind, text, work):
    page = os.path.join(work, name + '.html')
    open(page, 'w', encoding='utf-8').write(katex_page(kind, text))
    out = os.path.join(HERE, 'katex', name + '.png')
    subprocess.run(['chromium', '--headless', '--no-sandbox', '--disable-gpu', '--hide-scrollbars',
                    '--force-device-scale-factor=2', '--window-size=1400,700', f'--screenshot={out}',
                    'file://' + page], check=True, capture_output=True, timeout=120)
    trim(out)


def render_aelab(all_items, build, work):
    listing = os.path.join(work, 'list.tsv')
    with open(listing, 'w', encoding='utf-8') as f:
        for name, kind, text, _ in all_items:
            f.write(f'{name}\t{kind}\t{text}\n')
    subprocess.run([os.path.join(ROOT, 'tests', 'with_xvfb'), os.path.join(build, 'tests', 'formula_png'),
                    listing, os.path.join(HERE, 'aelab')], check=True, stdout=subprocess.DEVNULL)
    for name, *_ in all_items:
        trim(os.path.join(HERE, 'aelab', name + '.png'))


def write_index(all_items):
    notes = open(os.path.join(HERE, 'notes.md'), encoding='utf-8').read()
    lines = [notes.rstrip(), '', '## The pairs', '',
             'Made by `docs/typesetting/make_pairs`: for each formula its TeX (or the prose with '
             'inline maths), then aelab (left) and KaTeX 0.16.4 (right), both at 2×.']
    where = None
    for name, kind, text, place in all_items:
        if place != where:
            where = place
            lines += ['', f'### {where[0].upper()}{where[1:]}']
        # A code span, which markdown (GitHub's $…$ maths included) leaves as typed.
        lines += ['', f'`{name}` ({kind}): `` {text} ``', '', '| aelab | KaTeX |', '|---|---|',
                  f'| <img src="aelab/{name}.png" alt="aelab: {name}"> '
                  f'| <img src="katex/{name}.png" alt="KaTeX: {name}"> |']
    open(os.path.join(HERE, 'index.md'), 'w', encoding='utf-8').write('\n'.join(lines) + '\n')


def main():
    build = sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, 'build')
    all_items = items()
    for folder in ('aelab', 'katex'):
        os.makedirs(os.path.join(HERE, folder), exist_ok=True)
        for old in glob.glob(os.path.join(HERE, folder, '*.png')):
            os.remove(old)
    with tempfile.TemporaryDirectory() as work:
        render_aelab(all_items, build, work)
        for name, kind, text, _ in all_items:
            render_katex(name, kind, text, work)
            print(name, flush=True)
    write_index(all_items)
    print(f'{len(all_items)} pairs in {os.path.relpath(HERE, ROOT)}/index.md')


if __name__ == '__main__':
    main()
