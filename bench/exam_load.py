"""Load benchmark of the exam API against gunicorn on loopback (not part of the test suite).

    .venv/bin/python -m bench.exam_load --db sqlite
    .venv/bin/python -m bench.exam_load --db postgresql --pg-url postgresql+psycopg://postgres@127.0.0.1:5432/lms_issue_5_bench

Phases, in one run:
 1. start storm: `--storm` trainees start the exam within 10 s (open-loop arrivals), then the rest ramp up;
 2. steady autosaves: every trainee saves one answer every 30 s for `--steady` seconds;
 3. throughput: `--concurrency` clients save as fast as they can for `--burst` seconds, then the same
    clients hit a bare Flask endpoint doing one comparable UPDATE (bench/baseline_app.py) under the same
    gunicorn settings on the same database; our throughput is reported as a ratio of it;
 4. submit storm at the deadline: everyone submits around the deadline, 10 % submit twice, 20 % also save at
    that instant (racing their submit), 5 % never submit (offline) and two concurrent
    `flask lms close-overdue` runs close them.
Then it checks: every acknowledged save is in the database, no attempt is left open, every attempt was
finalized exactly once (one submit audit event at most, one `submitted_at` seen by all callers, and the
sweepers closed exactly the offline ones between them), and every attempt's item scores and total equal a
rescoring of its stored answers.

The storms are open loop: each request's latency counts from when it was due, so a request that waited
for a free client thread waited all the same. Submits send `Prefer: return=minimal` as the exam page does
(`--submit-reply whole` for the reply with the paper). Every simulated trainee keeps its own connection, so
gunicorn is given room to hold them all (`--worker-connections`), as nginx would in front of it.
"""
from __future__ import annotations

import argparse
import itertools
import json
import os
import random
import subprocess
import threading
import time
from collections import Counter
from datetime import datetime, timedelta, UTC
from pathlib import Path

from bench.loadkit import (BIN, ROOT, Http, Recorder, bench_app, closed_loop, cpu_snapshot, cpu_used, fresh_database,
                           gunicorn, machine, run_schedule, seed_with_people)


# ---- data --------------------------------------------------------------------------------

def prepare(url: str, trainees: int, instance: str, close_in: float) -> dict:
    """Fresh schema, demo data, `trainees` enrolled trainees with API tokens, and the bench exam."""
    from sqlalchemy import insert, select

    from lms.enrollment.models import Application, Cohort
    from lms.exams import papers
    from lms.exams.demo import FORMAL_BLUEPRINT
    from lms.exams.models import Exam
    from lms.extensions import db

    with bench_app(url, instance).app_context():
        ids, tokens = seed_with_people("bench", trainees)
        cohort = db.session.scalar(select(Cohort).where(Cohort.code == "SH-DIR-RUN"))
        db.session.execute(insert(Application), [{"cohort_id": cohort.id, "user_id": u, "status": "approved"}
                                                 for u in ids])
        now = datetime.now(UTC)
        exam = Exam(cohort=cohort, title="压测考试", opens_at=now - timedelta(minutes=5),
                    closes_at=now + timedelta(seconds=close_in), duration_minutes=90, paper_mode="blueprint",
                    shuffle_questions=True, shuffle_options=True, attempts_allowed=2, pass_mark=60,
                    multiple_partial=False, release_policy="after_grading", review_policy="after_close",
                    requires_attendance=False, anonymous_grading=False)
        db.session.add(exam)
        db.session.flush()
        papers.set_blueprint(exam, papers.parse_blueprint(FORMAL_BLUEPRINT, cohort.institution_id))
        db.session.commit()
        info = {"exam_id": exam.id, "tokens": tokens, "deadline": exam.closes_at.timestamp()}
        db.engine.dispose()
    return info


def verify(url: str, instance: str, exam_id: int, acked: dict, submits: dict, offline_attempts: set[int],
           swept: int) -> dict:
    from sqlalchemy import func, select

    from lms.core.audit import AuditEvent
    from lms.banks.models import QuestionRevision
    from lms.exams.models import Attempt, AttemptItem
    from lms.exams.responses import to_shown
    from lms.extensions import db

    with bench_app(url, instance).app_context():
        # stored in the bank's option keys; acknowledged as sent, in the letters shown
        items = {(a, q): (seq, to_shown(kind, resp, order)) for a, q, seq, resp, order, kind in db.session.execute(
            select(AttemptItem.attempt_id, AttemptItem.revision_id, AttemptItem.seq, AttemptItem.response,
                   AttemptItem.option_order, QuestionRevision.type)
            .join(QuestionRevision, QuestionRevision.id == AttemptItem.revision_id))}
        missing = [key for key, (seq, response) in acked.items()
                   if items[key][0] < seq or (items[key][0] == seq and items[key][1] != response)]
        statuses = Counter(db.session.scalars(select(Attempt.status).where(Attempt.exam_id == exam_id)))
        finalized = Counter(db.session.scalars(select(AuditEvent.object_id).where(
            AuditEvent.action == "attempt.finalize")))
        closed = set(db.session.scalars(select(Attempt.id).where(Attempt.exam_id == exam_id,
                                                                  Attempt.status != "in_progress")))
        twice = [a for a, n in finalized.items() if n > 1]
        never = [a for a in closed if finalized.get(a, 0) == 0]
        disagree = [a for a, seen in submits.items() if len(seen) > 1]
        misscored = _misscored(exam_id)
        offline_closed = db.session.scalar(select(func.count()).select_from(Attempt).where(
            Attempt.id.in_(offline_attempts or {-1}), Attempt.status != "in_progress"))
        db.engine.dispose()
    return {"acknowledged_saves": len(acked), "acknowledged_saves_missing": len(missing),
            "attempt_statuses": dict(statuses), "attempts_left_open": statuses.get("in_progress", 0),
            "attempts_finalized_twice": len(twice), "closed_without_finalization": len(never),
            "attempts_with_two_submitted_at": len(disagree),
            "offline_attempts": len(offline_attempts), "offline_closed": offline_closed,
            "closed_by_sweepers": swept, "attempts_scored_unlike_a_rescoring": len(misscored),
            "exactly_once": not twice and not never and not disagree and offline_closed == len(offline_attempts)}


def _misscored(exam_id: int) -> set[int]:
    """Attempts whose stored item scores or total differ from scoring their stored answers again
    (the saves score each answer as they store it; the submit only totals)."""
    from sqlalchemy import select

    from lms.banks.models import QuestionRevision
    from lms.exams.grading import item_score
    from lms.exams.models import Attempt, AttemptItem, Exam
    from lms.exams.revisions import grading_revisions
    from lms.extensions import db

    partial = bool(db.session.scalar(select(Exam.multiple_partial).where(Exam.id == exam_id)))
    rows = db.session.execute(
        select(AttemptItem.attempt_id, AttemptItem.revision_id, AttemptItem.points, AttemptItem.response,
               AttemptItem.score, QuestionRevision.created_at)
        .join(QuestionRevision, QuestionRevision.id == AttemptItem.revision_id)
        .join(Attempt, Attempt.id == AttemptItem.attempt_id).where(Attempt.exam_id == exam_id)).all()
    revisions = grading_revisions({(row.revision_id, row.created_at) for row in rows})
    wrong, totals = set(), Counter()
    for row in rows:
        expected, _manual = item_score(revisions[row.revision_id], row.points, row.response, partial)
        if expected is not None and row.score != expected:
            wrong.add(row.attempt_id)
        totals[row.attempt_id] += row.score or 0.0
    graded = db.session.execute(select(Attempt.id, Attempt.score).where(Attempt.exam_id == exam_id,
                                                                        Attempt.status == "graded")).all()
    return wrong | {attempt for attempt, score in graded if abs(score - round(totals[attempt], 2)) > 1e-6}


def move_deadline(url: str, instance: str, exam_id: int, at: float) -> float:
    """Close the exam's window at `at` (epoch seconds): every open attempt's deadline is then that
    moment, as when the window closes during the sitting. Returns `at`."""
    from sqlalchemy import update

    from lms.exams.models import Attempt, Exam
    from lms.extensions import db

    when = datetime.fromtimestamp(at, UTC)
    with bench_app(url, instance).app_context():
        db.session.execute(update(Exam).where(Exam.id == exam_id).values(closes_at=when))
        db.session.execute(update(Attempt).where(Attempt.exam_id == exam_id, Attempt.status == "in_progress")
                           .values(deadline=when))
        db.session.commit()
        db.engine.dispose()
    return at


def answer_for(question: dict, rng: random.Random):
    kind = question["type"]
    if kind == "single":
        return rng.choice(question["options"])["key"]
    if kind == "multiple":
        return sorted(rng.sample([o["key"] for o in question["options"]], 2))
    if kind == "truefalse":
        return rng.random() < 0.5
    if kind == "fill":
        return [f"答{rng.randint(1, 9)}" for _ in range(question.get("blanks", 1))]
    return f"论述 {rng.randint(1, 10 ** 6)}"


# ---- the run -----------------------------------------------------------------------------

def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", choices=["sqlite", "postgresql"], default="sqlite")
    parser.add_argument("--pg-url", default="postgresql+psycopg://postgres@127.0.0.1:5432/lms_issue_5_bench")
    parser.add_argument("--trainees", type=int, default=2000)
    parser.add_argument("--storm", type=int, default=1000, help="trainees in the 10 s start storm")
    parser.add_argument("--ramp", type=float, default=20, help="seconds for the other trainees to start")
    parser.add_argument("--steady", type=float, default=90, help="seconds of autosaves every 30 s per trainee")
    parser.add_argument("--burst", type=float, default=10, help="seconds of each closed-loop throughput run")
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--client-threads", type=int, default=600,
                        help="threads sending the scheduled requests (latency counts from when each was due)")
    parser.add_argument("--submit-reply", choices=["minimal", "whole"], default="minimal",
                        help="minimal: submits send Prefer: return=minimal as the exam page does; whole: the "
                             "reply carries the paper back (~25 kB)")
    parser.add_argument("--worker-connections", type=int, default=4000,
                        help="each gunicorn worker's connection cap: every simulated phone keeps its connection "
                             "(2,000 trainees and their second tabs; gunicorn's default of 1,000 a worker would "
                             "leave some waiting to be accepted, as nginx in front would not)")
    parser.add_argument("--port", type=int, default=18765)
    parser.add_argument("--storm-lead", type=float, default=15,
                        help="after the throughput phase, close the exam this many seconds later (0: keep the "
                             "deadline set at preparation, which a slow start phase may overrun)")
    parser.add_argument("--json", help="also write the results here")
    args = parser.parse_args()

    instance = f"/tmp/lms_issue5_bench_{args.db}"
    url = fresh_database(args.db, args.pg_url, instance)
    # with --storm-lead the deadline is set just before the storm; until then the window stays open
    margin = 3600 if args.storm_lead else 10 + args.ramp + args.steady + 2 * args.burst + 40
    print(f"preparing {args.trainees} trainees on {args.db} ...", flush=True)
    info = prepare(url, args.trainees, instance, close_in=margin)
    env = {"DATABASE_URL": url, "SECRET_KEY": "bench", "LMS_INSTANCE_PATH": instance, "BENCH_DATABASE_URL": url}
    from bench.baseline_app import create_table

    create_table(url, args.concurrency * 10)
    app_server = gunicorn("wsgi:app", args.port, env, args.workers, args.threads, args.worker_connections)
    base_server = gunicorn("bench.baseline_app:app", args.port + 1, env, args.workers, args.threads,
                           args.worker_connections)
    load_before = os.getloadavg()
    try:
        results = drive(args, info, url, instance)
    finally:
        for process in (app_server, base_server):
            process.terminate()
            process.wait(timeout=30)
    results["machine"] = machine(url)
    results["machine"]["load_average_before_after"] = [round(load_before[0], 2), round(os.getloadavg()[0], 2)]
    results["settings"] = {k: getattr(args, k) for k in ("db", "trainees", "storm", "ramp", "steady", "burst",
                                                         "concurrency", "workers", "threads", "storm_lead",
                                                         "worker_connections", "client_threads", "submit_reply")}
    print(json.dumps(results, ensure_ascii=False, indent=2))
    if args.json:
        Path(args.json).write_text(json.dumps(results, ensure_ascii=False, indent=2), encoding="utf-8")


def drive(args, info: dict, url: str, instance: str) -> dict:
    client = Http(args.port)
    recorder = Recorder()
    exam_id, tokens = info["exam_id"], info["tokens"]
    papers: dict[int, dict] = {}
    acked: dict[tuple[int, int], tuple[int, object]] = {}
    acked_lock = threading.Lock()
    seqs = [0] * len(tokens)
    rng = random.Random(5)

    def start(n, phase):
        def go():
            status, data, latency = client.call("POST", f"/api/v1/exams/{exam_id}/attempts", token=tokens[n], key=n)
            recorder.add(phase, latency, status, time.time() - t0)
            if status in (200, 201):
                papers[n] = {"id": data["id"], "questions": data["questions"]}
        return go

    def save(n, phase, seq=None, key=None):
        def go():
            paper = papers.get(n)
            if paper is None:
                return
            question = random.choice(paper["questions"])
            response = answer_for(question, random)
            seqs[n] += 1
            number = seq or seqs[n]
            status, data, latency = client.call("PUT", f"/api/v1/attempts/{paper['id']}/answers/{question['id']}",
                                                {"response": response, "seq": number}, tokens[n],
                                                key=n if key is None else key)
            recorder.add(phase, latency, status, time.time() - t0)
            if status == 200 and data["applied"]:
                answer = (paper["id"], question["id"])
                with acked_lock:
                    if answer not in acked or acked[answer][0] < number:
                        acked[answer] = (number, response)
        return go

    # 1. start storm, then the others
    storm = list(range(min(args.storm, len(tokens))))
    rest = list(range(len(storm), len(tokens)))
    t0 = time.time() + 1
    print(f"start storm: {len(storm)} trainees in 10 s", flush=True)
    run_schedule([(rng.uniform(0, 10), start(n, "start_storm")) for n in storm], t0, args.client_threads)
    t0 = time.time() + 0.5
    run_schedule([(rng.uniform(0, args.ramp), start(n, "start_ramp")) for n in rest], t0, args.client_threads)

    # 2. steady autosaves: each trainee every 30 s
    print(f"steady autosaves for {args.steady:.0f} s", flush=True)
    t0 = time.time() + 0.5
    events = []
    for n in papers:
        offset = rng.uniform(0, 30)
        events += [(offset + 30 * k, save(n, "autosave")) for k in range(int(args.steady // 30))]
    run_schedule(events, t0, args.client_threads)

    # 3. closed-loop throughput: our autosave, then the bare endpoint
    print("throughput: autosave vs bare Flask write", flush=True)
    counter = itertools.count(10 ** 6)
    trainee_ids = sorted(papers)

    def ours(n, k):
        who = trainee_ids[(n + k * args.concurrency) % len(trainee_ids)]
        paper = papers[who]
        question = paper["questions"][k % len(paper["questions"])]
        number = next(counter)
        return "PUT", f"/api/v1/attempts/{paper['id']}/answers/{question['id']}", \
            {"response": answer_for(question, random), "seq": number}, tokens[who]

    def bare(n, k):
        return "PUT", f"/bench/rows/{n * 10 + k % 10 + 1}", {"response": f"r{k}", "seq": next(counter)}, None

    ours_rps = closed_loop(args.port, ours, args.concurrency, args.burst, recorder, "throughput_autosave")
    bare_rps = closed_loop(args.port + 1, bare, args.concurrency, args.burst, recorder, "throughput_bare")

    # 4. submit storm at the deadline
    deadline = info["deadline"]
    if args.storm_lead:  # the window closes `storm_lead` s from now, however long the phases before took
        deadline = move_deadline(url, instance, exam_id, time.time() + args.storm_lead)
    print(f"submit storm at the deadline (in {deadline - time.time():.0f} s)", flush=True)
    if deadline - time.time() < 5:
        print("WARNING: phases overran; the deadline is (nearly) past", flush=True)
    submits: dict[int, set] = {}
    submit_lock = threading.Lock()
    offline = {n for n in trainee_ids if rng.random() < 0.05}
    offline_attempts = {papers[n]["id"] for n in offline}

    # As the exam page asks (lms/static/js/exam.js): it goes on to the result page, the paper is not needed.
    submit_headers = {"Prefer": "return=minimal"} if args.submit_reply == "minimal" else {}

    def submit(n, key):
        def go():
            paper = papers[n]
            status, data, latency = client.call("POST", f"/api/v1/attempts/{paper['id']}/submit", token=tokens[n],
                                                key=key, only="submitted_at", extra=submit_headers)
            recorder.add("submit_storm", latency, status, time.time() - t0)
            if status == 200:
                with submit_lock:
                    submits.setdefault(paper["id"], set()).add(data["submitted_at"])
        return go

    t0 = deadline
    events = []
    for n in trainee_ids:
        if n in offline:
            continue
        at = rng.uniform(-3, 1.5)
        events.append((at, submit(n, n)))
        if rng.random() < 0.10:
            events.append((at + rng.uniform(0.05, 1.0), submit(n, (n, "tab2"))))  # a retry / a second tab
        if rng.random() < 0.20:
            events.append((at, save(n, "save_at_deadline", key=(n, "tab3"))))  # racing the submit
    sweeps: list[int] = []

    def sweep():
        output = subprocess.run([str(BIN / "flask"), "--app", "wsgi", "lms", "close-overdue"], cwd=ROOT,
                                env={**os.environ, "DATABASE_URL": url, "SECRET_KEY": "bench",
                                     "LMS_INSTANCE_PATH": instance}, capture_output=True, text=True).stdout
        sweeps.append(int("".join(c for c in output.split("份")[0] if c.isdigit()) or 0))

    events += [(5 + 1, sweep), (5 + 1, sweep)]  # after deadline + grace: two sweepers at once
    cpu_before = cpu_snapshot()
    run_schedule(events, t0, args.client_threads)
    first = t0 + min(at for at, _fn in events)
    storm_cpu = {**cpu_used(cpu_before, cpu_snapshot()), "wall_seconds": round(time.time() - first, 2)}
    checks = verify(url, instance, exam_id, acked, submits, offline_attempts, sum(sweeps))
    results = {phase: recorder.summary(phase) for phase in ("start_storm", "start_ramp", "autosave",
                                                            "throughput_autosave", "throughput_bare",
                                                            "save_at_deadline", "submit_storm")}
    results["throughput"] = {"autosave_rps": round(ours_rps, 1), "bare_flask_write_rps": round(bare_rps, 1),
                             "ratio": round(ours_rps / bare_rps, 3) if bare_rps else None}
    results["checks"] = checks
    results["sweeper_runs"] = sweeps
    results["submit_storm_timeline"] = recorder.timeline("submit_storm")
    results["submit_storm_cpu_seconds"] = storm_cpu  # CPU from before the storm to its last answer; wall from its first request
    return results


if __name__ == "__main__":
    main()
