"""Batch issuance: a background job with progress, partial failure reported, a ZIP at the end;
the same job from the CLI with a progress bar."""
import io
import re
import time
import zipfile

from sqlalchemy import select

from lms.certificates.models import Certificate
from lms.core import jobs
from lms.extensions import db


def wait_for(client, headers, job_id, timeout=60):
    seen = []
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        job = client.get(f"/api/v1/jobs/{job_id}", headers=headers).get_json()
        seen.append((job["status"], job["done"]))
        if job["status"] in ("done", "failed"):
            return job, seen
        time.sleep(0.05)
    raise AssertionError(f"job {job_id} did not finish: {seen[-3:]}")


def test_batch_issue_reports_progress_and_a_failed_trainee_without_stopping(
        client, make_cohort, make_region, make_graduate, exam_passed, cohort_staff, api_token):
    cohort = make_cohort(capacity=40, region=make_region("310105", "长宁区"))
    applications = [make_graduate(cohort) for _ in range(30)]
    bad_name = make_graduate(cohort, name="王𠮷")
    absent = make_graduate(cohort, attended=False)
    exam_passed.add(applications[3].id)
    staff = cohort_staff(cohort)
    headers = api_token(staff)

    response = client.post(f"/api/v1/cohorts/{cohort.code}/certificates", headers=headers)
    assert response.status_code == 202
    started = response.get_json()
    assert started["kind"] == "issue_certificates" and started["total"] == 32
    job, seen = wait_for(client, headers, started["id"])

    assert job["status"] == "done" and job["done"] == job["total"] == 32
    assert [d for _s, d in seen] == sorted(d for _s, d in seen)  # progress only moves forward
    reasons = {int(re.search(r"报名 (\d+)", f["item"]).group(1)): f["reason"] for f in job["failures"]}
    assert set(reasons) == {bad_name.id, absent.id, applications[3].id}
    assert "𠮷" in reasons[bad_name.id] and "王𠮷" in next(f["item"] for f in job["failures"] if "𠮷" in f["item"])
    assert "出勤学时不足" in reasons[absent.id] and "结业考试" in reasons[applications[3].id]
    db.session.expire_all()
    issued = db.session.scalars(select(Certificate).where(Certificate.cohort_id == cohort.id)).all()
    assert len(issued) == 29
    assert {c.application_id for c in issued}.isdisjoint({bad_name.id, absent.id, applications[3].id})

    with client.get(job["result_url"], headers=headers) as archive:
        assert archive.status_code == 200 and archive.mimetype == "application/zip"
        names = zipfile.ZipFile(io.BytesIO(archive.data)).namelist()
    assert len(names) == 29 and all(n.endswith(".pdf") for n in names)

    # Running it again issues nothing new: the same certificates.
    again = client.post(f"/api/v1/cohorts/{cohort.code}/certificates", headers=headers).get_json()
    job, _seen = wait_for(client, headers, again["id"])
    assert job["status"] == "done" and len(job["failures"]) == 3
    assert db.session.scalar(select(db.func.count()).select_from(Certificate)) == 29


def test_jobs_are_seen_by_whoever_started_them(client, make_cohort, make_graduate, exam_passed, cohort_staff,
                                               api_token, make_user):
    cohort = make_cohort()
    make_graduate(cohort)
    staff = cohort_staff(cohort)
    job_id = client.post(f"/api/v1/cohorts/{cohort.code}/certificates", headers=api_token(staff)).get_json()["id"]
    jobs.wait(job_id)
    colleague = cohort_staff(cohort)
    assert client.get(f"/api/v1/jobs/{job_id}", headers=api_token(colleague)).status_code == 404
    assert client.get(f"/api/v1/jobs/{job_id}", headers=api_token(make_user("admin"))).status_code == 200
    trainee_headers = api_token(make_user("trainee"))
    assert client.post(f"/api/v1/cohorts/{cohort.code}/certificates", headers=trainee_headers).status_code == 404


def test_the_cli_issues_a_cohort_with_a_progress_bar(runner, make_cohort, make_graduate, exam_passed):
    cohort = make_cohort()
    for _ in range(3):
        make_graduate(cohort)
    make_graduate(cohort, attended=False)
    result = runner.invoke(args=["lms", "issue-certificates", "--cohort", cohort.code])
    assert result.exit_code == 2, result.output  # one trainee could not be issued
    assert f"颁发 {cohort.code}" in result.output  # the bar's label (no animation without a terminal)
    assert "出勤学时不足" in result.output and "完成：3 / 4" in result.output
    assert db.session.scalar(select(db.func.count()).select_from(Certificate)) == 3
    unknown = runner.invoke(args=["lms", "issue-certificates", "--cohort", "NOPE"])
    assert unknown.exit_code == 1 and "NOPE" in unknown.output


def test_a_job_that_crashes_is_marked_failed(app, make_cohort, monkeypatch):
    from lms.certificates import batch

    def broken(job, progress):
        raise RuntimeError("disk full")

    monkeypatch.setitem(jobs.JOB_KINDS, batch.KIND, broken)
    job = jobs.create(None, batch.KIND, {}, 0)
    db.session.commit()
    finished = jobs.run(job.id)
    assert finished.status == "failed" and "disk full" in finished.message


def test_a_large_cohort_renders_in_worker_processes(make_app, make_cohort, make_graduate, exam_passed):
    from lms.certificates import batch, issuing

    cohort = make_cohort(capacity=60)
    for _ in range(batch.CHUNK * 2):
        make_graduate(cohort)
    params = {"cohort_id": cohort.id, "cohort_code": cohort.code}
    other = make_app(CERT_RENDER_PROCESSES=2)
    with other.app_context():
        job = jobs.create(None, batch.KIND, params, 0)
        db.session.commit()
        seen = []
        finished = jobs.run(job.id, lambda current: seen.append(current.done))
        assert finished.status == "done" and finished.failures == []
        assert seen == [batch.CHUNK, 2 * batch.CHUNK]
        certificates = db.session.scalars(select(Certificate)).all()
        assert len(certificates) == 2 * batch.CHUNK
        for certificate in certificates[:3]:
            pdf = issuing.stored_pdf_path(certificate).read_bytes()
            # rendered in a worker process: the same bytes as rendering the stored snapshot here
            assert issuing.render_in_worker("director", issuing.certificate_data(certificate)) == pdf


def test_with_redis_configured_jobs_go_to_the_rq_queue(app, monkeypatch):
    import rq

    from lms.certificates import batch

    queued = []

    class FakeQueue:
        def __init__(self, name, connection):
            self.name, self.connection = name, connection

        def enqueue(self, function, *args, **kwargs):
            queued.append((self.name, self.connection, function, args))

    monkeypatch.setattr(rq, "Queue", FakeQueue)
    # Only the setting dispatch() reads: an app built with REDIS_URL would also move the
    # shared rate limiter to Redis.
    monkeypatch.setitem(app.config, "REDIS_URL", "redis://queue.internal:6379/3")
    job = jobs.create(None, batch.KIND, {}, 0)
    db.session.commit()
    jobs.dispatch(job.id)
    ((name, connection, function, args),) = queued  # a Redis client connects lazily: nothing was sent
    assert (name, function, args) == ("lms", "lms.core.jobs.rq_task", (job.id,))
    assert connection.connection_pool.connection_kwargs["host"] == "queue.internal"
    assert connection.connection_pool.connection_kwargs["db"] == 3
    assert job.id not in jobs._futures  # nothing ran in this process


def test_a_conflict_inside_a_chunk_fails_one_trainee_and_issues_the_rest(app, make_cohort, make_graduate,
                                                                          exam_passed, monkeypatch):
    """The chunk's rows go in with one INSERT; when it conflicts, each row is retried alone:
    one trainee whose number clashes is reported, one whose certificate another issuer made
    meanwhile keeps that certificate, and the others are issued."""
    from lms.certificates import batch, issuing
    from lms.enrollment.models import Application

    cohort = make_cohort(capacity=10)
    applications = [make_graduate(cohort) for _ in range(5)]
    clashing, taken = applications[1].id, applications[3].id
    numbers: list[str] = []
    real_number, real_render = issuing.new_cert_no, issuing.render_in_worker

    def second_repeats_first(region, year, serial):
        numbers.append(real_number(region, year, serial))
        return numbers[0] if len(numbers) == 2 else numbers[-1]

    other_issuer: list[Certificate] = []

    def render_while_another_issuer_issues(template_name, data):
        if not other_issuer:  # between drafting and inserting, someone issues trainee `taken`
            other_issuer.append(issuing.issue(None, db.session.get(Application, taken)))
        return real_render(template_name, data)

    monkeypatch.setattr(issuing, "new_cert_no", second_repeats_first)
    monkeypatch.setattr(issuing, "render_in_worker", render_while_another_issuer_issues)
    job = jobs.create(None, batch.KIND, {"cohort_id": cohort.id, "cohort_code": cohort.code}, 0)
    db.session.commit()
    finished = jobs.run(job.id)

    assert finished.status == "done" and finished.done == 5
    assert [f"报名 {clashing}" in f["item"] and "IntegrityError" in f["reason"] for f in finished.failures] == [True]
    db.session.expire_all()
    issued = {c.application_id: c for c in db.session.scalars(select(Certificate).where(
        Certificate.cohort_id == cohort.id))}
    assert set(issued) == {a.id for a in applications} - {clashing}
    assert issued[taken].id == other_issuer[0].id  # still the one certificate of that enrollment
    assert len({c.cert_no for c in issued.values()}) == 4
    for certificate in issued.values():
        assert issuing.stored_pdf_path(certificate).read_bytes().startswith(b"%PDF")
    assert len(zipfile.ZipFile(f"{app.instance_path}/{finished.result_path}").namelist()) == 4


def test_a_certificate_that_cannot_be_rendered_is_reported_and_the_rest_issued(make_cohort, make_graduate,
                                                                                exam_passed, monkeypatch):
    from lms.certificates import batch, issuing

    cohort = make_cohort(capacity=10)
    applications = [make_graduate(cohort, name=name) for name in ("张一", "李二", "王三")]
    real_render = issuing.render_in_worker

    def render(template_name, data):
        if data.holder_name == "李二":
            raise RuntimeError("字体文件损坏")
        return real_render(template_name, data)

    monkeypatch.setattr(issuing, "render_in_worker", render)
    job = jobs.create(None, batch.KIND, {"cohort_id": cohort.id, "cohort_code": cohort.code}, 0)
    db.session.commit()
    finished = jobs.run(job.id)

    assert finished.status == "done" and finished.done == 3
    assert finished.failures == [{"item": f"李二（报名 {applications[1].id}）", "reason": "RuntimeError: 字体文件损坏"}]
    issued = db.session.scalars(select(Certificate.application_id).where(Certificate.cohort_id == cohort.id)).all()
    assert sorted(issued) == [applications[0].id, applications[2].id]


def test_a_trainee_without_a_profile_is_reported_in_the_batch_and_on_the_page(
        client, login, make_cohort, make_graduate, exam_passed, cohort_staff):
    from sqlalchemy import delete

    from lms.certificates import batch
    from lms.enrollment.models import TraineeProfile

    cohort = make_cohort(capacity=10)
    ready, bare = make_graduate(cohort), make_graduate(cohort)
    db.session.execute(delete(TraineeProfile).where(TraineeProfile.user_id == bare.user_id))
    db.session.commit()
    login(cohort_staff(cohort))
    assert "缺少个人资料" in client.get(f"/staff/cohorts/{cohort.code}/certificates").get_data(as_text=True)

    job = jobs.create(None, batch.KIND, {"cohort_id": cohort.id, "cohort_code": cohort.code}, 0)
    db.session.commit()
    finished = jobs.run(job.id)
    assert finished.failures == [{"item": f"（报名 {bare.id}）", "reason": "该学员没有个人资料，无法颁发合格证"}]
    assert db.session.scalars(select(Certificate.application_id)).all() == [ready.id]
