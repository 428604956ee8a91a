"""How many questions does the guided questionnaire ask, and does it reach the same pods?

A simulated user answers from a hidden true layout through the same engine the terminal
uses (``Questionnaire``), once guided and once exhaustive (five questions per
pair). Run ``python benchmarks/questions.py`` for the table in docs/performance.md.

The simulated user is consistent: each transitive question's yes-answers form classes that
contain whole pods (a random coarsening of the true pods; one question keeps the pods
exactly, so every pair across pods hears a no somewhere), fits_node is computed from the
requests when the inventory has them, and roles follow the true pods (one primary each).

Lower bound, for this question set: unless the facts decide every pair, every container's
role must be stated (one answer each, or one confirmation when the inventory gives them all),
and every pod of two or more
containers needs a yes from the user on each question that neither the triage nor the facts
settle (same_host, single_unit, scale_together, and fits_node when requests are unknown):
inference only spreads yes-answers that somebody gave.
"""

from __future__ import annotations

import argparse
import random
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from advisor.domain.model import (  # noqa: E402
    Container,
    Inventory,
    Node,
    Port,
    Quantity,
    Resources,
    Role,
)
from advisor.domain.rules import Rules  # noqa: E402
from advisor.engine.questionnaire import Questionnaire, QuestionStep, RolesStep, RoleStep  # noqa: E402
from advisor.formats.inventory import load_inventory  # noqa: E402
from advisor.formats.rules import load_rules  # noqa: E402
from advisor.layout.advice import advise  # noqa: E402

SETTLED_BY_TRIAGE = ("unified_whole",)


@dataclass(frozen=True)
class Truth:
    """The layout the simulated user has in mind, and how they answer each question."""

    pods: list[list[str]]  # the first member of each pod is its primary
    classes: dict[str, dict[str, int]]  # question -> container -> class id
    fits: dict[frozenset[str], bool]  # hidden fits_node for pairs (when not computed)

    def pod_of(self) -> dict[str, int]:
        return {m: i for i, pod in enumerate(self.pods) for m in pod}

    def answer(self, question_id: str, members: tuple[str, ...]) -> bool:
        if question_id in self.classes:
            return len({self.classes[question_id][m] for m in members}) == 1
        return all(
            self.fits.get(frozenset((a, b)), True)
            for i, a in enumerate(members)
            for b in members[i + 1 :]
        )


@dataclass(frozen=True)
class Case:
    """One application to ask about."""

    label: str
    inventory: Inventory
    truth: Truth
    roles_in_inventory: bool


@dataclass(frozen=True)
class Row:
    label: str
    containers: int
    pods: int
    guided: int
    exhaustive: int
    naive: int
    lower_bound: int
    same_layout: bool


def generate(
    size: int,
    max_pod: int,
    helper_share: float,
    resources: bool,
    roles_in_inventory: bool,
    seed: int,
    rules: Rules,
) -> Case:
    """A random application of ``size`` containers with a hidden true layout."""
    rng = random.Random(seed)
    names = [f"c{i:02d}" for i in range(size)]
    pods: list[list[str]] = []
    index = 0
    while index < size:
        room = size - index
        pod_size = 1
        if rng.random() < helper_share:
            pod_size = min(room, rng.randint(2, max_pod))
        pods.append(names[index : index + pod_size])
        index += pod_size
    rng.shuffle(names)  # inventory order unrelated to the pods
    transitive = [q.id for q in rules.questions if q.transitive]
    exact = rng.choice([q for q in transitive if q not in SETTLED_BY_TRIAGE])
    classes: dict[str, dict[str, int]] = {}
    for question_id in transitive:
        if question_id == exact or question_id in SETTLED_BY_TRIAGE:
            merged = list(range(len(pods)))
        else:  # merge pods into bigger classes at random
            merged = [rng.randrange(max(1, len(pods) // 2)) for _ in pods]
        classes[question_id] = {m: merged[i] for i, pod in enumerate(pods) for m in pod}
    pod_index = {m: i for i, pod in enumerate(pods) for m in pod}
    fits = {
        frozenset((a, b)): pod_index[a] == pod_index[b] or rng.random() < 0.7
        for i, a in enumerate(names)
        for b in names[i + 1 :]
    }
    containers = []
    for name in sorted(names, key=names.index):
        pod = pods[pod_index[name]]
        primary = pod[0] == name
        helper = not primary
        containers.append(
            Container(
                name=name,
                image=f"example/{name}:1",
                role=(Role.PRIMARY if primary else Role.SIDECAR) if roles_in_inventory else None,
                complements=pod[0] if helper and roles_in_inventory else None,
                # Distinct ports inside a pod; across pods 8080 is common, as in real estates.
                ports=(Port(8080 + pod.index(name)),) if rng.random() < 0.6 else (),
                resources=Resources(cpu=Quantity("250m", 0.25), memory=Quantity("256Mi", 2**28))
                if resources
                else Resources(),
            )
        )
    # Capacity for the largest pod and a little more, so that big pods still fit.
    node = (
        Node(cpu=Quantity("1500m", 1.5), memory=Quantity("1.5Gi", 1.5 * 2**30))
        if resources
        else None
    )
    inventory = Inventory(name=f"app{seed}", containers=tuple(containers), node=node)
    label = (
        f"generated: {size} containers, pods<={max_pod}, helpers {helper_share:.0%}, "
        f"{'requests' if resources else 'no requests'}, "
        f"{'roles given' if roles_in_inventory else 'roles asked'}"
    )
    return Case(label, inventory, Truth(pods, classes, fits), roles_in_inventory)


def wrong_roles(step: RolesStep, truth: Truth) -> list[str]:
    """The containers whose role on the roles screen is not the one the user has in mind
    (a helper the screen leaves undecided is asked by a list after it, whatever is done)."""
    primary_of = {m: pod[0] for pod in truth.pods for m in pod}
    return [
        name
        for name, helps in step.roles
        if helps != (None if primary_of[name] == name else primary_of[name])
    ]


def roles_prompts(step: RolesStep, truth: Truth) -> int:
    """What the roles screen costs a user who knows the roles: one Enter when they are all
    right; else each wrong one changed ("Change X", its list, the screen again), or "No: ask
    me what each one is" and a list each, whichever is fewer."""
    wrong = len(wrong_roles(step, truth))
    if not wrong:
        return 1
    return 1 + min(2 * wrong, len(step.roles))


def simulate(case: Case, rules: Rules, exhaustive: bool) -> tuple[int, list[tuple[str, ...]]]:
    """Answer every step the engine asks; return the prompts answered and the pods.

    On the roles screen the user changes the wrong roles one by one, or declines them all,
    as ``roles_prompts`` counts; picking "Change X" is a prompt the engine does not count.
    """
    questionnaire = Questionnaire(case.inventory, rules, exhaustive=exhaustive)
    primary_of = {m: pod[0] for pod in case.truth.pods for m in pod}
    picks = 0
    while (step := questionnaire.next_step()) is not None:
        if isinstance(step, RolesStep):
            wrong = wrong_roles(step, case.truth)
            if 2 * len(wrong) <= len(step.roles):
                for name in wrong:
                    picks += 1
                    helps = primary_of[name]
                    questionnaire.answer_role(name, None if helps == name else helps)
                questionnaire.confirm_roles(True)
            else:
                questionnaire.confirm_roles(False)
        elif isinstance(step, RoleStep):
            helps = primary_of[step.container]
            questionnaire.answer_role(step.container, None if helps == step.container else helps)
        elif isinstance(step, QuestionStep):
            questionnaire.answer(step, case.truth.answer(step.question.id, step.members))
    advice = advise(questionnaire)
    return questionnaire.asked_count + picks, sorted(p.members for p in advice.layout.pods)


def lower_bound(case: Case, rules: Rules) -> int:
    """The roles screen, plus one user's yes per unsettled question for each pod of two or
    more (the roles as ``roles_prompts`` counts them on the screen the engine shows).

    Nothing at all when the facts (ports, primaries, capacity) already decide every pair.
    """
    first = Questionnaire(case.inventory, rules).next_step()
    if first is None:
        return 0
    roles = roles_prompts(first, case.truth) if isinstance(first, RolesStep) else 0
    per_pod = sum(1 for q in rules.questions if q.transitive and q.id not in SETTLED_BY_TRIAGE)
    if case.inventory.node is None:
        per_pod += 1  # fits_node cannot be computed
    return roles + per_pod * sum(1 for pod in case.truth.pods if len(pod) > 1)


def shop_case(rules: Rules) -> Case:
    """The bundled example, with the pods its answers file calls for."""
    inventory = load_inventory(ROOT / "examples" / "shop" / "app.yaml")
    pods = [["web", "tls-proxy", "content-agent"], ["api", "log-collector"], ["db"]]
    pod_index = {m: i for i, pod in enumerate(pods) for m in pod}
    classes = {q.id: dict(pod_index) for q in rules.questions if q.transitive}
    return Case("examples/shop", inventory, Truth(pods, classes, {}), True)


# Real compose applications of the shared corpus, each with the pods an expert would pick
# (the first member of a pod is its primary): mostly one service per pod, and the services
# a compose file ties together (volumes_from) in one.
CORPUS = ROOT.parent / "shared" / "corpus" / "compose"
EXPERT_PODS = {
    "awesome-compose__nginx-golang": [["backend"], ["proxy"]],
    "awesome-compose__react-express-mysql": [["backend"], ["db"], ["frontend"]],
    "example-voting-app__root-docker-stack": [
        ["redis"],
        ["db"],
        ["vote"],
        ["result"],
        ["worker"],
    ],
    "kompose__service-group": [["librenms"], ["dispatcher"]],
    "docker-compose__e2e-TestNoDepsVolumeFrom": [["db", "app"]],
    "awesome-compose__wasmedge-kafka-mysql": [["redpanda"], ["etl"], ["db"]],
    "awesome-compose__elasticsearch-logstash-kibana": [["elasticsearch"], ["logstash"], ["kibana"]],
    "awesome-compose__pihole-cloudflared-DoH": [["pihole"], ["cloudflared"]],
    "kompose__volume-mounts-volumes-from-case": [["cat", "foo", "bar"]],
}


def corpus_cases(rules: Rules) -> list[Case]:
    """The corpus applications with their expert pods (none without the corpus)."""
    from advisor.formats.application import load_application

    result = []
    for name, pods in EXPERT_PODS.items():
        path = CORPUS / f"{name}.yaml"
        if not path.is_file():
            continue
        pod_index = {m: i for i, pod in enumerate(pods) for m in pod}
        classes = {q.id: dict(pod_index) for q in rules.questions if q.transitive}
        inventory = load_application(path)
        result.append(Case(f"corpus/{name}", inventory, Truth(pods, classes, {}), False))
    return result


def measure(case: Case, rules: Rules) -> Row:
    guided, guided_pods = simulate(case, rules, exhaustive=False)
    exhaustive, exhaustive_pods = simulate(case, rules, exhaustive=True)
    n = len(case.inventory.containers)
    return Row(
        case.label,
        n,
        len(case.truth.pods),
        guided,
        exhaustive,
        5 * n * (n - 1) // 2,
        lower_bound(case, rules),
        guided_pods == exhaustive_pods,
    )


def cases(sizes: list[int], seeds: int, rules: Rules) -> list[Case]:
    """The examples, then generated applications across sizes, pod sizes and data."""
    result = [shop_case(rules)]
    seed = 0
    for size in sizes:
        for max_pod, share in ((2, 0.3), (3, 0.5), (5, 0.7)):
            for resources in (True, False):
                for roles_given in (True, False):
                    for _ in range(seeds):
                        seed += 1
                        result.append(
                            generate(size, max_pod, share, resources, roles_given, seed, rules)
                        )
    return result


def table(rows: list[Row], sizes: list[int]) -> str:
    """Markdown: one line per size (averaged over its variants), then the examples."""
    lines = [
        "| containers | pods (avg) | asked (avg) | per container | exhaustive (avg) | "
        "naive 5·n(n-1)/2 | lower bound (avg) | same layout |",
        "|---:|---:|---:|---:|---:|---:|---:|:---:|",
    ]
    for row in rows:
        if row.label.startswith(("examples/", "corpus/")):
            # The bound assumes no compose links; a corpus file's links answer same_host.
            bound = row.lower_bound if row.label.startswith("examples/") else "-"
            lines.append(
                f"| {row.containers} ({row.label}) | {row.pods} | {row.guided} | "
                f"{row.guided / row.containers:.2f} | {row.exhaustive} | {row.naive} | "
                f"{bound} | {'yes' if row.same_layout else 'NO'} |"
            )
    for size in sizes:
        group = [r for r in rows if r.containers == size and r.label.startswith("generated")]
        if not group:
            continue
        k = len(group)
        lines.append(
            f"| {size} | {sum(r.pods for r in group) / k:.1f} | "
            f"{sum(r.guided for r in group) / k:.1f} | "
            f"{sum(r.guided for r in group) / (k * size):.2f} | "
            f"{sum(r.exhaustive for r in group) / k:.1f} | {group[0].naive} | "
            f"{sum(r.lower_bound for r in group) / k:.1f} | "
            f"{'yes' if all(r.same_layout for r in group) else 'NO'} ({k}/{k}) |"
            if all(r.same_layout for r in group)
            else f"| {size} | ... | ... | ... | ... | ... | ... | NO |"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="4,10,20,30,40,60")
    parser.add_argument("--seeds", type=int, default=3, help="applications per variant")
    args = parser.parse_args(argv)
    sizes = [int(s) for s in args.sizes.split(",")]
    rules = load_rules()
    every = [*cases(sizes, args.seeds, rules), *corpus_cases(rules)]
    rows = [measure(case, rules) for case in every]
    print(table(rows, sizes))
    in_range = [r for r in rows if 10 <= r.containers <= 40 and r.label.startswith("generated")]
    if in_range:
        per = sum(r.guided for r in in_range) / sum(r.containers for r in in_range)
        print(f"\nQuestions per container, 10 to 40 containers: {per:.2f} (target <= 3)")
    real = [r for r in rows if r.label.startswith("corpus/")]
    if real:
        per = sum(r.guided for r in real) / sum(r.containers for r in real)
        print(f"Prompts per service, {len(real)} real compose applications: {per:.2f}")
    failures = [r.label for r in rows if not r.same_layout]
    for label in failures:
        print(f"DIFFERENT LAYOUT: {label}")
    return 1 if failures else 0


if __name__ == "__main__":
    raise SystemExit(main())
