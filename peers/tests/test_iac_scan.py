"""checkov over the Terraform JSON that `pnpm synth` produces: the default deployment, one with CloudFront, a China
and a GovCloud deployment.

Every failed check must be covered by peers/checkov-skips.yaml (reviewed, with a reason). checkov runs offline:
--skip-download, no API key, terraform_json only.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import tempfile
import warnings
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml

from gateway import Gateway

# deployment name -> settings (environment variables, as an operator's .env would set them)
DEPLOYMENTS = {
    "us-east-1": {"AWS_REGION": "us-east-1"},
    "us-east-1-cloudfront": {"AWS_REGION": "us-east-1", "USE_CLOUDFRONT": "true", "HOSTED_ZONE_NAME": "example.com"},
    "cn-north-1": {"AWS_REGION": "cn-north-1"},
    "us-gov-west-1": {"AWS_REGION": "us-gov-west-1"},
}
STACKS = {"base", "ecs", "eks", "fake-llm", "bastion"}
EXPECTED_STACKS = {"base", "ecs", "eks"}
SYNTH_TIMEOUT_S = 180
CHECKOV_TIMEOUT_S = 300
SKIPS_FILE = Path(__file__).resolve().parent.parent / "checkov-skips.yaml"
CHECK_ID = re.compile(r"^CKV2?_[A-Z0-9]+_\d+$")


@dataclass(frozen=True)
class Skip:
    id: str
    stacks: frozenset[str]
    resources: tuple[re.Pattern[str], ...]
    decision: str
    reason: str

    def covers(self, failure: "Failure") -> bool:
        return (
            failure.check_id == self.id
            and failure.stack in self.stacks
            and (not self.resources or any(p.search(failure.resource) for p in self.resources))
        )


@dataclass(frozen=True)
class Failure:
    deployment: str
    stack: str
    check_id: str
    check_name: str
    resource: str

    def __str__(self) -> str:
        return f"{self.deployment}/{self.stack}: {self.check_id} {self.resource} — {self.check_name}"


def load_skips(path: Path = SKIPS_FILE) -> list[Skip]:
    """Parse and validate the skip list; every problem is reported at once."""
    doc = yaml.safe_load(path.read_text())
    entries = doc.get("skips") if isinstance(doc, dict) else None
    assert isinstance(entries, list) and entries, f"{path.name}: expected a non-empty `skips` list"
    problems, skips, seen = [], [], set()
    for i, e in enumerate(entries):
        where = f"{path.name} skips[{i}]"
        if not isinstance(e, dict):
            problems.append(f"{where}: not a mapping")
            continue
        unknown = set(e) - {"id", "stacks", "resources", "decision", "reason"}
        if unknown:
            problems.append(f"{where}: unknown keys {sorted(unknown)}")
        if not CHECK_ID.match(str(e.get("id", ""))):
            problems.append(f"{where}: id {e.get('id')!r} is not a checkov check id")
        if e.get("id") in seen:
            problems.append(f"{where}: {e.get('id')} listed twice")
        seen.add(e.get("id"))
        stacks = e.get("stacks")
        if not isinstance(stacks, list) or not stacks or not set(stacks) <= STACKS:
            problems.append(f"{where}: stacks must be a non-empty list of {sorted(STACKS)}")
            stacks = []
        if e.get("decision") not in ("accepted", "open"):
            problems.append(f"{where}: decision must be accepted or open")
        if not isinstance(e.get("reason"), str) or len(e["reason"].split()) < 5:
            problems.append(f"{where}: a reason of at least a sentence is required")
        resources = e.get("resources", [])
        try:
            patterns = tuple(re.compile(r) for r in resources)
        except (re.error, TypeError) as err:
            problems.append(f"{where}: resources must be regexes ({err})")
            patterns = ()
        skips.append(Skip(str(e.get("id")), frozenset(stacks), patterns, str(e.get("decision")), str(e.get("reason", ""))))
    assert not problems, "\n".join(problems)
    return skips


def synth(gw: Gateway, deployment: str, outdir: Path) -> None:
    """`pnpm synth` for one deployment, from a clean environment and an empty working directory (no stray .env)."""
    env = {"PATH": os.environ["PATH"], "HOME": os.environ.get("HOME", "/tmp"), **DEPLOYMENTS[deployment], "CDKTF_OUTDIR": str(outdir)}
    with tempfile.TemporaryDirectory(dir=gw.run_dir) as cwd:
        done = subprocess.run(
            [gw.tsx, os.path.join(gw.repo_root, "stacks/src/synth-cli.ts")], cwd=cwd, env=env, capture_output=True, text=True, timeout=SYNTH_TIMEOUT_S
        )
    assert done.returncode == 0, f"synth for {deployment} failed:\n{done.stdout}\n{done.stderr}"


def run_checkov(gw: Gateway, root: Path) -> list[dict]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("BC_", "PRISMA_", "CKV_"))}
    env["LOG_LEVEL"] = "WARNING"
    done = subprocess.run(
        [gw.checkov, "--directory", str(root), "--framework", "terraform_json", "--skip-download", "--output", "json", "--compact"],
        env=env, capture_output=True, text=True, timeout=CHECKOV_TIMEOUT_S,
    )
    # 0: all passed, 1: some failed; anything else is checkov itself failing.
    assert done.returncode in (0, 1), f"checkov exited {done.returncode}:\n{done.stderr[-4000:]}"
    report = json.loads(done.stdout)
    return report if isinstance(report, list) else [report]


@dataclass(frozen=True)
class Scan:
    root: Path
    reports: list[dict]

    def results(self, kind: str) -> Iterator[dict]:
        for report in self.reports:
            yield from report["results"][kind]

    @staticmethod
    def where(check: dict) -> tuple[str, str]:
        """(deployment, stack) from a path like /us-east-1/stacks/base/cdk.tf.json."""
        parts = Path(check["file_path"]).parts
        return parts[1], parts[3]

    def failures(self) -> list[Failure]:
        return [Failure(*self.where(c), c["check_id"], c["check_name"], c["resource"]) for c in self.results("failed_checks")]


@pytest.fixture(scope="module")
def scan(gw: Gateway) -> Iterator[Scan]:
    with tempfile.TemporaryDirectory(prefix="iac-", dir=gw.run_dir) as tmp:
        root = Path(tmp)
        for deployment in DEPLOYMENTS:
            synth(gw, deployment, root / deployment)
        yield Scan(root, run_checkov(gw, root))


@pytest.fixture(scope="module")
def skips() -> list[Skip]:
    return load_skips()


def test_skip_list_is_well_formed(skips: list[Skip]):
    assert {s.decision for s in skips} <= {"accepted", "open"}
    assert all(s.reason.strip() for s in skips)


def test_checkov_scanned_every_synthesized_stack(scan: Scan):
    synthesized = {(p.parts[-4], p.parts[-2]) for p in scan.root.glob("*/stacks/*/cdk.tf.json")}
    assert synthesized >= {(d, s) for d in DEPLOYMENTS for s in EXPECTED_STACKS}
    assert all(r["summary"]["parsing_errors"] == 0 for r in scan.reports)
    # A stack only counts as scanned when checkov evaluated checks against it.
    evaluated = {Scan.where(c) for kind in ("passed_checks", "failed_checks") for c in scan.results(kind)}
    assert synthesized == evaluated, f"not scanned: {sorted(synthesized - evaluated)}"
    assert sum(1 for _ in scan.results("passed_checks")) > 100


@pytest.mark.parametrize("deployment", DEPLOYMENTS)
def test_no_failed_check_outside_the_skip_list(scan: Scan, skips: list[Skip], deployment: str):
    failures = [f for f in scan.failures() if f.deployment == deployment]
    unexpected = [f for f in failures if not any(s.covers(f) for s in skips)]
    assert not unexpected, (
        f"{len(unexpected)} checkov finding(s) not in peers/checkov-skips.yaml — fix the stack, or review and list them:\n"
        + "\n".join(map(str, unexpected))
    )


def test_skip_list_matches_the_findings(scan: Scan, skips: list[Skip]):
    """Open findings and entries nothing needs any more are reported as warnings on every run."""
    failures = scan.failures()
    matched = {s.id: sorted({f.deployment for f in failures if s.covers(f)}) for s in skips}
    stale = [s.id for s in skips if not matched[s.id]]
    assert len(stale) < len(skips), "no skip entry matched anything: is checkov still reading the stacks?"
    open_items = [f"{s.id} in {', '.join(matched[s.id])}: {s.reason}" for s in skips if s.decision == "open" and matched[s.id]]
    if open_items:
        warnings.warn("open IaC findings tolerated by peers/checkov-skips.yaml:\n  " + "\n  ".join(open_items), stacklevel=1)
    if stale:
        warnings.warn(f"peers/checkov-skips.yaml entries no finding needs any more (remove them): {', '.join(stale)}", stacklevel=1)


def test_waf_acls_carry_the_managed_rules(scan: Scan):
    """What checkov's graph checks cannot see (an ACL attached by reference or from another stack, rules in
    rule_json): every web ACL has the managed common and known-bad-inputs (Log4j) rule groups."""
    required = {"AWSManagedRulesCommonRuleSet", "AWSManagedRulesKnownBadInputsRuleSet"}
    acls = 0
    for path in scan.root.glob("*/stacks/*/cdk.tf.json"):
        for name, acl in json.loads(path.read_text()).get("resource", {}).get("aws_wafv2_web_acl", {}).items():
            acls += 1
            rules = json.loads(acl["rule_json"]) if "rule_json" in acl else acl.get("rule", [])
            groups = set()
            for rule in rules:
                statement = rule.get("Statement") or rule.get("statement") or {}
                managed = statement.get("ManagedRuleGroupStatement") or statement.get("managed_rule_group_statement") or {}
                groups.add(managed.get("Name") or managed.get("name"))
            assert required <= groups, f"{path.relative_to(scan.root)} {name}: missing {sorted(required - groups)}"
    assert acls >= len(DEPLOYMENTS), "every deployment has at least its regional web ACL"
