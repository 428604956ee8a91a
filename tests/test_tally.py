"""The tally (open pairs, questions left, answers by source) is counted with bit masks, row by
row, and kept up to date answer by answer: both must agree with looking at every pair, on
random answers files with roles, groups, links, contradictions, guided and exhaustive."""

import dataclasses
import random
from collections import Counter

from helpers import QUESTIONS, container, inventory_dict, random_inventory

from advisor.domain.answers import AnswersFile
from advisor.domain.model import Answer, Link, Pair, Source
from advisor.engine.constraints import pair_fits_node
from advisor.engine.questionnaire import Questionnaire, QuestionStep, Verdict
from advisor.formats.inventory import inventory_from_data


def random_inventory_with_links(rng):
    inventory = random_inventory(rng, rng.randint(3, 8), resources_share=0.8)
    names = [c.name for c in inventory.containers]
    links = tuple(
        Link("network_mode", *rng.sample(names, 2)) for _ in range(rng.choice([0, 0, 1, 2]))
    )
    return dataclasses.replace(inventory, links=links)


def random_answers(rng, names):
    """Pair and group answers (some contradicting each other), roles for some or all."""
    pairs = {}
    for _ in range(rng.randint(0, len(names) * 2)):
        pair = Pair.of(*rng.sample(names, 2))
        if rng.random() < 0.3:  # all five yes: together, unless something parts them
            pairs[pair] = {question_id: Answer(True) for question_id in QUESTIONS}
            continue
        for question_id in rng.sample(QUESTIONS, rng.randint(1, 3)):
            source = Source.ASKED if rng.random() < 0.9 else Source.INFERRED  # kept for the record
            pairs.setdefault(pair, {})[question_id] = Answer(rng.random() < 0.6, source)
    groups = {}
    for _ in range(rng.choice([0, 0, 1, 2])):
        group = tuple(sorted(rng.sample(names, min(len(names), rng.randint(3, 4)))))
        groups[group] = {rng.choice(QUESTIONS): Answer(rng.random() < 0.7)}
    roles = {}
    for name in rng.sample(names, rng.choice([0, len(names) // 2, len(names)])):
        roles[name] = None if rng.random() < 0.5 else rng.choice([n for n in names if n != name])
    return AnswersFile(pairs=pairs, groups=groups, roles=roles)


def replay(inventory, rules, answers, exhaustive, pairs_first):
    """The same answers given one by one, with the tally kept up to date from the start."""
    questionnaire = Questionnaire(inventory, rules, exhaustive=exhaustive)
    questionnaire.open_pair_count()
    narrowed = []  # group answers a pair's answer narrowed (a file holding both keeps them)

    def give_pairs():
        for pair, pair_answers in answers.pairs.items():
            for question_id, answer in pair_answers.items():
                if answer.source is Source.ASKED:
                    step = QuestionStep(tuple(pair), rules.question(question_id))
                    questionnaire.answer(step, answer.value)
                    narrowed.extend(questionnaire.narrowed)

    if pairs_first:
        give_pairs()
    if not exhaustive:
        for name, helps in answers.roles.items():
            questionnaire.answer_role(name, helps)
    for group, group_answers in answers.groups.items():
        for question_id, answer in group_answers.items():
            questionnaire.answer(QuestionStep(group, rules.question(question_id)), answer.value)
    if not pairs_first:
        give_pairs()
    questionnaire.narrowed_any = bool(narrowed)
    return questionnaire


def counted_pair_by_pair(questionnaire):
    """Open and together pairs, the open pairs' unknown questions, the answers by source
    and the open pairs per application, visiting every pair (what the tally must say)."""
    q = questionnaire
    names = [c.name for c in q.inventory.containers]
    apps = {n: None if q.exhaustive else q.application_of(n) for n in names}
    one_unit = q.exhaustive or None in apps.values()
    fits_asked = "fits_node" in q.rules.question_ids
    opened, together, unknown, sources, open_by_app = [], [], 0, Counter(), Counter()
    for i, a in enumerate(names):
        for b in names[i + 1 :]:
            pair = Pair.of(a, b)
            answers = q.answers_for(pair)
            shared = apps[a] if apps[a] == apps[b] else None
            if q.verdict(pair) is Verdict.OPEN:
                opened.append(pair)
                unknown += len(QUESTIONS) - len(answers)
                open_by_app[shared] += 1
            elif q.verdict(pair) is Verdict.TOGETHER:
                together.append(pair)
            if one_unit:  # every pair may be asked, down to its first no
                first, second = q.inventory.container(a), q.inventory.container(b)
                fits = fits_asked and pair_fits_node(first, second, q.inventory.node)
                parted = q.blocker(pair) or q.triage_split(pair)
                before = QUESTIONS[: QUESTIONS.index("fits_node")]
                said_no = any(not answers[k].value for k in before if k in answers)
                in_scope = fits is not None and not parted and not said_no
            else:  # the pairs inside an application may be asked
                in_scope = shared is not None
            if in_scope or any(a.source is Source.ASKED for a in answers.values()):
                sources.update(answer.source for answer in answers.values())
    counts = {s: sources[s] for s in Source}
    return opened, together, unknown, counts, open_by_app, one_unit


def questions_left(questionnaire, unknown, opened, open_by_app, one_unit):
    """``progress().at_most_left`` from the counts: unknown questions (before the roles are
    all known, not unified_whole, which the roles answer, unless the user said no to it),
    missing roles, and one group no for each group of three or more with a pair open that
    said no to nothing yet (before the roles are known: one for every three containers)."""
    q = questionnaire
    names = [c.name for c in q.inventory.containers]
    if q.exhaustive:
        return unknown
    if one_unit:
        missing = len(names) - len(q.answers_file().roles)
        said_no = any(
            answer.entry[0] == "pair" and answer.entry[2] == "unified_whole" and not answer.value
            for answer in q.user_answers()
        )
        for pair in q.open_pairs() if not said_no else ():
            unknown -= q.answer_for(pair, "unified_whole") is None
        return unknown + (missing + min(opened, len(names) // 3) if opened else 0)
    left = unknown
    groups = {tuple(a.entry[1]): a for a in q.user_answers() if a.entry[0] == "group"}
    for members in q.applications():
        if 3 <= len(members) <= 16 and open_by_app[q.application_of(members[0])]:
            key = tuple(sorted(members))
            said = [a for g, a in groups.items() if g == key]
            left += 0 if any(a.value is False for a in said) else 1
    return left


def assert_counts_match(questionnaire):
    opened, together, unknown, sources, open_by_app, one_unit = counted_pair_by_pair(questionnaire)
    assert questionnaire.open_pair_count() == len(opened)
    assert questionnaire.together().every_pair() == sorted(together)
    assert sorted(questionnaire.open_pairs()) == sorted(opened)
    assert questionnaire.source_counts() == sources
    progress = questionnaire.progress()
    if progress.if_roles_kept:
        # The roles screen's bound is counted on a tally of its own, "if the roles on screen
        # are kept" (test_progress_bound holds it as an upper bound); the tally's own counts
        # are checked once the roles are kept.
        q = questionnaire
        kept = Questionnaire(q.inventory, q.rules, q.answers_file(), exhaustive=q.exhaustive)
        kept.confirm_roles(True)
        assert_counts_match(kept)
        return
    left = questions_left(questionnaire, unknown, len(opened), open_by_app, one_unit)
    assert progress.at_most_left == left


def assert_sheet_holds_what_is_known(questionnaire):
    """The sheet: every pair answered directly or by inference, and every pair inside an
    application (pairs whose only answer is a computed fits_node are left out)."""
    q = questionnaire
    names = [c.name for c in q.inventory.containers]
    linked = {Pair.of(link.a, link.b) for link in q.inventory.links}
    apps = {n: None if q.exhaustive else q.application_of(n) for n in names}
    roles_complete = None not in apps.values()
    expected = {}
    for i, a in enumerate(names):
        for b in names[i + 1 :]:
            pair = Pair.of(a, b)
            answers = q.answers_for(pair)
            sources = {answer.source for answer in answers.values()}
            inside = roles_complete and apps[a] == apps[b]
            if answers and (sources - {Source.COMPUTED} or pair in linked or inside):
                expected[pair] = answers
    assert q.sheet == expected


def observed(questionnaire):
    """What the tally shows through the questionnaire."""
    progress = questionnaire.progress()
    return (
        questionnaire.open_pair_count(),
        questionnaire.source_counts(),
        progress.at_most_left,
        progress.number,
        questionnaire.together().every_pair(),
        questionnaire.open_pairs(),
        questionnaire.next_step(),
    )


def test_tally_in_bulk_and_answer_by_answer_match_counting_every_pair(rules):
    # Without the node's capacity as a constraint, pairs too big for it are open to asking.
    lenient = dataclasses.replace(
        rules, constraints=tuple(c for c in rules.constraints if c.id != "node_capacity")
    )
    for seed in range(150):
        rng = random.Random(seed)
        policy = lenient if seed % 3 == 1 else rules
        inventory = random_inventory_with_links(rng)
        names = [c.name for c in inventory.containers]
        answers = random_answers(rng, names)
        exhaustive = seed % 4 == 0
        loaded = Questionnaire(inventory, policy, answers, exhaustive=exhaustive)
        assert_counts_match(loaded)
        assert_sheet_holds_what_is_known(loaded)
        in_order = replay(inventory, policy, answers, exhaustive, pairs_first=False)
        assert_counts_match(in_order)
        if not in_order.narrowed_any:
            assert observed(in_order) == observed(loaded)
        pairs_first = replay(inventory, policy, answers, exhaustive, pairs_first=True)
        assert_counts_match(pairs_first)
        for pair, question_id, _ in list(loaded.contradictions):
            loaded.resolve_contradiction(pair, question_id, keep_mine=rng.random() < 0.5)
            assert_counts_match(loaded)
        for pair, pair_answers in list(answers.pairs.items())[:3]:  # answered again, the other way
            for question_id, answer in pair_answers.items():
                step = QuestionStep(tuple(pair), policy.question(question_id))
                pairs_first.answer(step, not answer.value)
            assert_counts_match(pairs_first)


def test_loading_leaves_the_answers_given_as_they_were(rules):
    inventory = inventory_from_data(
        inventory_dict(container("a"), container("b"), container("c")), "app.yaml"
    )
    given = {Pair.of("a", "b"): {"same_host": Answer(True)}}
    questionnaire = Questionnaire(inventory, rules, given)
    questionnaire.answer(QuestionStep(("a", "b"), rules.question("single_unit")), True)
    assert given == {Pair.of("a", "b"): {"same_host": Answer(True)}}
    assert questionnaire.answer_for(Pair.of("a", "b"), "single_unit") == Answer(True)
