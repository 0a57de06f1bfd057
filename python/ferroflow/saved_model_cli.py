"""``ferroflow-saved-model`` (or ``python -m ferroflow.saved_model_cli``): inspect and run SavedModels, as
TensorFlow's ``saved_model_cli`` does.

    ferroflow-saved-model show --dir DIR --all
    ferroflow-saved-model show --dir DIR --tag_set serve --signature_def serving_default
    ferroflow-saved-model run --dir DIR --signature_def serving_default --inputs 'x=x.npy'
    ferroflow-saved-model run --dir DIR --signature_def serving_default --input_exprs 'x=np.ones((1, 4))'

Errors (a missing or damaged directory, an unknown input key, a refused expression) are printed as one
``error:`` line on stderr, with exit status 1.
"""

from __future__ import annotations

import argparse
import sys
from typing import List, Optional


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="ferroflow-saved-model", description="Inspect and run ferroflow SavedModels (saved_model_cli's commands)."
    )
    commands = parser.add_subparsers(dest="command", required=True)
    show = commands.add_parser("show", help="show the tag-sets, signatures and functions of a SavedModel")
    show.add_argument("--dir", required=True, help="directory holding the SavedModel")
    show.add_argument("--all", action="store_true", help="show everything the SavedModel holds")
    show.add_argument("--tag_set", help="tag-set of the MetaGraphDef (serve)")
    show.add_argument("--signature_def", help="signature to show the inputs and outputs of")
    run = commands.add_parser("run", help="run a signature on inputs from files or NumPy expressions")
    run.add_argument("--dir", required=True, help="directory holding the SavedModel")
    run.add_argument("--tag_set", default="serve", help="tag-set of the MetaGraphDef (default: serve)")
    run.add_argument("--signature_def", required=True, help="signature to run")
    run.add_argument("--inputs", default="", help="'key=file.npy;key2=file.npz[name]' (never unpickled)")
    run.add_argument("--input_exprs", default="", help="'key=np.ones((1, 4))' (NumPy constructors and literals)")
    run.add_argument("--outdir", help="save each output as OUTDIR/<output key>.npy instead of printing it")
    run.add_argument("--overwrite", action="store_true", help="overwrite existing files in --outdir")
    return parser


def main(argv: Optional[List[str]] = None) -> int:
    args = _parser().parse_args(argv)
    from ferroflow.saved_model._cli_run import run
    from ferroflow.saved_model._cli_show import check_tag_set, show
    from ferroflow.saved_model._read import read_directory

    def out(line: str) -> None:
        print(line)

    try:
        saved = read_directory(args.dir)
        if args.command == "show":
            show(saved, args.tag_set, args.signature_def, args.all, out)
        else:
            check_tag_set(saved, args.tag_set)
            run(saved, args.signature_def, args.inputs, args.input_exprs, args.outdir, args.overwrite, out)
    except (OSError, ValueError, TypeError, RuntimeError) as e:
        print(f"error: {e}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
