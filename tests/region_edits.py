"""Workbooks edited the way people edit them, for comparing the two cell sources.

Also a script: ``python tests/region_edits.py OUT.xlsx`` writes the edited sample workbook
(openpyxl-saved, no cached values); tests/fixtures/region_lo_edited.xlsx is that file
recalculated and saved by headless LibreOffice (recalculation forced on load).
"""

from __future__ import annotations

import sys
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def cell_of(path: tuple) -> tuple[str, str]:
    """(sheet, "D6") of a table value path in the fill-in workbook."""
    from gdr_gen.formats import get_format
    from gdr_gen.formats.workbook_layout import coord_name, layout_for

    layout = layout_for(get_format())
    ts = layout.table_sheet(str(path[0]))
    gc = ts.table.cell_for(path)
    row, col = ts.at(gc.row, gc.col)
    return ts.sheet, coord_name(row, col)


def edit_workbook(path: Path, out: Path) -> Path:
    """Typical edits: full-width text, a formula and a date in input cells, an error
    value, a blank, a total overwritten with a number, money with its unit, prose lines."""
    import openpyxl

    wb = openpyxl.load_workbook(path)
    edits = {
        ("requests", "new", 0): "３８件",
        ("requests", "carried_over", 1): "=1+0",
        ("requests", "granted", 0): datetime(2022, 1, 17),
        ("requests", "withheld_state_secret", 2): "=NA()",
        ("requests", "other_misc", 3): None,
        ("requests", "new", 6): 40,  # the 总计 formula overwritten with a number
        ("appeals", "reconsideration", 1): " 2 ",
        ("proactive", "fees"): "3857.85万元",
        ("proactive", "licensing"): 91093.0,
        ("proactive", "penalty"): 99447.5,
    }
    for p, value in edits.items():
        sheet, ref = cell_of(p)
        wb[sheet][ref].value = value
    for ws in wb.worksheets:
        if ws.title.startswith("五"):
            ws["C6"].value = "第一段。\n第二段，含数字 12 件。\r\n第三段"
    wb.save(out)
    return out


if __name__ == "__main__":  # pragma: no cover
    sys.path.insert(0, str(ROOT))
    from gdr_gen.readers.json_reader import read_json
    from gdr_gen.writers.xlsx_writer import write_workbook

    target = Path(sys.argv[1])
    base = target.with_name("base.xlsx")
    write_workbook(read_json(ROOT / "sample_inputs" / "巫山县2022.json").report, base, force=True)
    edit_workbook(base, target)
    base.unlink()
