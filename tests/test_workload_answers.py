"""How each pod runs, as the user says it: the role question's one-off job and node agent,
the review's change of a pod's kind, saved in the answers file's workloads: section."""

from __future__ import annotations

import pytest
import yaml
from prompt_toolkit.input import create_pipe_input
from prompt_toolkit.output import DummyOutput

from advisor.cli import main
from advisor.domain.errors import InputError
from advisor.domain.model import Workload
from advisor.engine.questionnaire import Questionnaire
from advisor.exporters.kubernetes import manifests
from advisor.formats.answers import dump_answers, load_answers
from advisor.formats.inventory import inventory_from_data
from advisor.layout.advice import advise
from advisor.layout.attention import needs_attention
from advisor.terminal.review import answer_label
from advisor.terminal.session import run_session
from tests.helpers import assert_valid_pod, container, inventory_dict

DOWN = "\x1b[B"
SCHEDULE = {"pod-advisor.schedule": "0 3 * * *"}


def two_apps():
    return inventory_from_data(inventory_dict(container("web"), container("migrate")), "x.yaml")


def drive(questionnaire, keys):
    with create_pipe_input() as pipe:
        pipe.send_text(keys)
        pipe.close()  # keys past the end end the session with an error, not a wait
        run_session(questionnaire, lambda: None, input=pipe, output=DummyOutput())


def kinds(questionnaire):
    documents = manifests(advise(questionnaire))
    for document in documents:
        assert_valid_pod(document)
    return {d["metadata"]["name"]: d["kind"] for d in documents}


def test_the_role_question_takes_a_one_off_job_and_a_node_agent(rules):
    questionnaire = Questionnaire(two_apps(), rules)
    # Roles screen: "Change web" (second), a node agent (third choice); the screen again:
    # "Change migrate" (third), a one-off job (second); the screen: keep; review: write.
    change_web = DOWN + "\r" + DOWN * 2 + "\r"
    change_migrate = DOWN * 2 + "\r" + DOWN + "\r"
    drive(questionnaire, change_web + change_migrate + "\r" + "\r")
    assert questionnaire.workloads() == {"web": Workload.DAEMONSET, "migrate": Workload.JOB}
    assert kinds(questionnaire) == {"web": "DaemonSet", "migrate": "Job"}
    labels = [answer_label(a) for a in questionnaire.user_answers()]
    assert labels == [
        "web: primary application",
        "migrate: primary application",
        "web: runs as a DaemonSet",
        "migrate: runs as a Job",
    ]


def test_the_review_changes_how_a_pod_runs(rules):
    questionnaire = Questionnaire(two_apps(), rules)
    # Roles screen: keep (both primary); review: "Change how a pod runs" (third), the first
    # pod listed (migrate), a StatefulSet (second kind); then review again: write.
    drive(questionnaire, "\r" + DOWN * 2 + "\r" + "\r" + DOWN + "\r" + "\r")
    assert questionnaire.workloads() == {"migrate": Workload.STATEFULSET}
    assert kinds(questionnaire) == {
        "migrate": "StatefulSet",
        "web": "Deployment",
        "migrate-headless": "Service",
    }


def test_taking_a_role_back_takes_its_workload_back(rules):
    questionnaire = Questionnaire(two_apps(), rules)
    questionnaire.answer_role("web", None, Workload.JOB)
    questionnaire.undo()
    assert questionnaire.workloads() == {}


def test_a_helper_runs_as_its_pod_does(rules):
    questionnaire = Questionnaire(two_apps(), rules)
    questionnaire.answer_role("web", None, Workload.JOB)
    questionnaire.change_role("web", "migrate", None)
    assert questionnaire.workloads() == {}


def test_workloads_are_saved_and_read_back(rules, tmp_path):
    inventory = two_apps()
    questionnaire = Questionnaire(inventory, rules)
    questionnaire.answer_role("web", None)
    questionnaire.answer_role("migrate", None, Workload.JOB)
    text = dump_answers(questionnaire.answers_file(), inventory, rules)
    assert yaml.safe_load(text)["workloads"] == {"migrate": "job"}
    path = tmp_path / "answers.yaml"
    path.write_text(text)
    assert load_answers(path, inventory, rules).workloads == {"migrate": Workload.JOB}


@pytest.mark.parametrize(
    ("workloads", "message"),
    [
        ({"web": "lambda"}, "workloads.web: must be one of deployment, statefulset, job"),
        ({"gone": "job"}, "no container named 'gone'"),
    ],
)
def test_a_bad_workload_is_refused_in_one_line(rules, tmp_path, workloads, message):
    path = tmp_path / "answers.yaml"
    path.write_text(yaml.safe_dump({"version": 1, "workloads": workloads}))
    with pytest.raises(InputError, match=message):
        load_answers(path, two_apps(), rules)


def test_plan_honours_the_answers_files_workloads(tmp_path, capsys):
    inventory = tmp_path / "app.yaml"
    inventory.write_text(yaml.safe_dump(inventory_dict(container("web"), container("backup"))))
    answers = tmp_path / "answers.yaml"
    answers.write_text(yaml.safe_dump({"version": 1, "workloads": {"backup": "job"}}))
    assert main(["plan", str(inventory), "--answers", str(answers)]) == 0
    documents = list(yaml.safe_load_all(capsys.readouterr().out))
    assert {d["metadata"]["name"]: d["kind"] for d in documents} == {
        "web": "Deployment",
        "backup": "Job",
    }


def disagreeing_pod(rules, tmp_path):
    """web (3 replicas, primary) and tls (1 replica) answered together."""
    from advisor.domain.model import Answer, Pair
    from advisor.formats.application import load_application

    compose = tmp_path / "compose.yaml"
    compose.write_text(
        yaml.safe_dump(
            {
                "services": {
                    "web": {
                        "image": "nginx",
                        "deploy": {"replicas": 3},
                        "labels": {"pod-advisor.role": "primary"},
                    },
                    "tls": {"image": "example/tls:1", "deploy": {"replicas": 1}},
                }
            }
        )
    )
    inventory = load_application(compose)
    yes = {q: Answer(True) for q in rules.question_ids}
    return Questionnaire(inventory, rules, {Pair.of("web", "tls"): yes})


def test_a_pod_whose_members_disagree_on_replicas_asks_how_many(rules, tmp_path):
    questionnaire = disagreeing_pod(rules, tmp_path)
    # processes: no; replicas: the second choice (tls's 1); review: write.
    drive(questionnaire, "n" + DOWN + "\r" + "\r")
    assert questionnaire.replicas() == {"web": 1}
    (deployment,) = [d for d in manifests(advise(questionnaire)) if d["kind"] == "Deployment"]
    assert deployment["spec"]["replicas"] == 1
    assert "web: 1 replica" in [answer_label(a) for a in questionnaire.user_answers()]


def test_replicas_chosen_are_saved_and_read_back(rules, tmp_path):
    questionnaire = disagreeing_pod(rules, tmp_path)
    questionnaire.answer_replicas("web", 1)
    inventory = questionnaire.inventory
    text = dump_answers(questionnaire.answers_file(), inventory, rules)
    assert yaml.safe_load(text)["replicas"] == {"web": 1}
    path = tmp_path / "answers.yaml"
    path.write_text(text)
    assert load_answers(path, inventory, rules).replicas == {"web": 1}
    advice = advise(Questionnaire(inventory, rules, load_answers(path, inventory, rules)))
    assert not [a for a in needs_attention(advice) if "replica counts" in a.text]


@pytest.mark.parametrize(("labels", "fourth_kind"), [({}, "DaemonSet"), (SCHEDULE, "CronJob")])
def test_a_cronjob_is_offered_only_to_a_pod_with_a_schedule(rules, tmp_path, labels, fourth_kind):
    from advisor.formats.application import load_application

    compose = {
        "services": {"backup": {"image": "restic/restic", "labels": labels}, "web": {"image": "w"}}
    }
    path = tmp_path / "compose.yaml"
    path.write_text(yaml.safe_dump(compose))
    questionnaire = Questionnaire(load_application(path), rules)
    # Roles screen: keep (both primary); review: "Change how a pod runs", the first pod
    # (backup), the fourth kind listed (a CronJob where there is a schedule, else the
    # DaemonSet after it).
    drive(questionnaire, "\r" + DOWN * 2 + "\r" + "\r" + DOWN * 3 + "\r" + "\r")
    assert kinds(questionnaire)["backup"] == fourth_kind
