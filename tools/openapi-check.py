#!/usr/bin/env python3
"""Validates gongzhi's OpenAPI document against the OpenAPI 3.1 specification.

Usage: python3 tools/openapi-check.py crates/server/src/openapi.json

Needs the PyPI package openapi-spec-validator (`pip install openapi-spec-validator`).
Exits 0 when the document is valid, 1 when it is not, 2 on usage or setup problems.
"""

import json
import sys


METHODS = ("get", "put", "post", "delete", "patch", "head", "options", "trace")


def project_rules(spec: dict) -> list[str]:
    """gongzhi's own rules on top of the specification: every operation has a unique operationId,
    a bilingual summary ("中文 / English") and at least one response."""
    out: list[str] = []
    seen: dict[str, str] = {}
    for route, item in spec.get("paths", {}).items():
        for method in METHODS:
            o = item.get(method)
            if not isinstance(o, dict):
                continue
            where = f"{method.upper()} {route}"
            op_id = o.get("operationId")
            if not op_id:
                out.append(f"{where}: no operationId")
            elif op_id in seen:
                out.append(f"{where}: operationId {op_id} is also used by {seen[op_id]}")
            else:
                seen[op_id] = where
            summary = o.get("summary", "")
            if " / " not in summary or summary.isascii():
                out.append(f"{where}: summary should read \"中文 / English\", got {summary!r}")
            if not o.get("responses"):
                out.append(f"{where}: no responses")
    return out


def main(argv: list[str]) -> int:
    if len(argv) != 2 or argv[1] in ("-h", "--help"):
        print(__doc__.strip(), file=sys.stderr)
        return 2
    path = argv[1]

    try:
        from openapi_spec_validator import OpenAPIV31SpecValidator, validate
    except ImportError:
        print(
            "openapi-spec-validator is not installed: pip install openapi-spec-validator",
            file=sys.stderr,
        )
        return 2

    try:
        with open(path, encoding="utf-8") as f:
            spec = json.load(f)
    except OSError as e:
        print(f"{path}: cannot read: {e}", file=sys.stderr)
        return 2
    except json.JSONDecodeError as e:
        print(f"{path}: not JSON: {e}", file=sys.stderr)
        return 1

    if not isinstance(spec, dict) or not str(spec.get("openapi", "")).startswith("3.1."):
        print(f"{path}: expected an OpenAPI 3.1 document (\"openapi\": \"3.1.x\")", file=sys.stderr)
        return 1

    # Report every problem, not just the first one; fall back to the package's documented entry
    # point (which raises on the first problem) for anything the iteration cannot report.
    problems: list[str] = []
    try:
        from jsonschema_path import SchemaPath

        for err in OpenAPIV31SpecValidator(SchemaPath.from_dict(spec)).iter_errors():
            where = getattr(err, "json_path", None) or "$"
            problems.append(f"{where}: {getattr(err, 'message', err)}")
    except Exception:  # ImportError, or a $ref that does not resolve
        pass
    if not problems:
        try:
            validate(spec, cls=OpenAPIV31SpecValidator)
        except Exception as e:  # OpenAPIValidationError and reference-resolution errors alike
            problems.append(f"$: {type(e).__name__}: {e}")

    problems.extend(project_rules(spec))
    for p in problems:
        print(f"{path}: {p if len(p) <= 400 else p[:400] + ' …'}", file=sys.stderr)
    if problems:
        print(f"{path}: {len(problems)} problem(s)", file=sys.stderr)
        return 1

    paths = spec.get("paths", {})
    operations = sum(
        1
        for item in paths.values()
        for method in METHODS
        if method in item
    )
    print(f"{path}: valid OpenAPI {spec['openapi']} ({len(paths)} paths, {operations} operations)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
