"""The gallery: images judged by their content, thumbnails, the coordinator's public toggle,
and nothing that is not marked public on a public page."""

import io
import re

import pytest
from PIL import Image
from sqlalchemy import func, select

from tests.public.conftest import picture, upload
from twinflow.audit.models import AuditEvent
from twinflow.gallery.models import ProjectImage


@pytest.fixture
def running(cast):
    return cast.to("implementation")


def images_of(session, project):
    session.expire_all()
    return session.scalars(select(ProjectImage).where(ProjectImage.project_id == project.id)).all()


def public_image_urls(page: str) -> list[str]:
    return re.findall(r'src="(/public/projects/\d+/images/\d+/thumb)"', page)


def test_an_uploaded_image_stays_off_the_public_page_until_a_coordinator_marks_it_public(
    running, cast, as_user, visitor, session
):
    response = upload(as_user(cast.beneficiary), running, picture(), "seminar.png", "image/png")
    assert response.status_code == 303
    (image,) = images_of(session, running)
    assert not image.is_public
    page = visitor.text(f"/public/projects/{running.id}")
    assert public_image_urls(page) == [] and "Gallery" not in page
    for variant in ("thumb", "original"):
        hidden = visitor.get(f"/public/projects/{running.id}/images/{image.id}/{variant}")
        assert hidden.status_code == 404

    coordinator = as_user(cast.coordinator)
    path = f"/projects/{running.id}/gallery"
    marked = coordinator.post(f"{path}/{image.id}/public", {"public": "1"}, token_from=path)
    assert marked.status_code == 303
    page = visitor.text(f"/public/projects/{running.id}")
    assert public_image_urls(page) == [f"/public/projects/{running.id}/images/{image.id}/thumb"]

    withdrawn = coordinator.post(f"{path}/{image.id}/public", {"public": "0"}, token_from=path)
    assert withdrawn.status_code == 303
    assert public_image_urls(visitor.text(f"/public/projects/{running.id}")) == []
    actions = session.scalars(
        select(AuditEvent.action)
        .where(AuditEvent.project_id == running.id, AuditEvent.action.like("image_%"))
        .order_by(AuditEvent.seq)
    ).all()
    assert actions == ["image_uploaded", "image_published", "image_withdrawn"]


def test_only_images_marked_public_of_a_project_with_a_public_page_are_shown(
    cast, make, as_user, visitor, session
):
    project = cast.to("selection")  # no public page yet
    upload(as_user(cast.beneficiary), project, picture(), "a.png", "image/png")
    upload(as_user(cast.beneficiary), project, picture("JPEG"), "b.jpg", "image/jpeg")
    first, second = images_of(session, project)
    path = f"/projects/{project.id}/gallery"
    as_user(cast.coordinator).post(f"{path}/{first.id}/public", {"public": "1"}, token_from=path)
    url = f"/public/projects/{project.id}/images/{first.id}/thumb"
    assert visitor.get(url).status_code == 404  # marked public, but the project is not
    cast.to("implementation")
    assert visitor.get(url).status_code == 200
    page = visitor.text(f"/public/projects/{project.id}")
    assert public_image_urls(page) == [url]
    # The other image is reached neither by its own id nor under another project's.
    assert visitor.get(f"/public/projects/{project.id}/images/{second.id}/thumb").status_code == 404
    other = make.project(cast.beneficiary)
    assert visitor.get(f"/public/projects/{other.id}/images/{first.id}/thumb").status_code == 404


def test_thumbnails_are_small_jpegs_and_originals_come_with_safe_headers(
    running, cast, as_user, visitor, session
):
    # A PNG sent under a JPEG name and type: the content decides.
    response = upload(
        as_user(cast.beneficiary), running, picture(size=(1600, 1200)), "x.jpg", "image/jpeg"
    )
    assert response.status_code == 303
    (image,) = images_of(session, running)
    assert (image.content_type, image.filename, image.width) == ("image/png", "x.png", 1600)
    path = f"/projects/{running.id}/gallery"
    as_user(cast.coordinator).post(f"{path}/{image.id}/public", {"public": "1"}, token_from=path)

    thumb = visitor.get(f"/public/projects/{running.id}/images/{image.id}/thumb")
    assert thumb.mimetype == "image/jpeg"
    with Image.open(io.BytesIO(thumb.get_data())) as small:
        assert small.format == "JPEG" and small.size == (480, 360)

    original = visitor.get(f"/public/projects/{running.id}/images/{image.id}/original")
    assert original.get_data() == picture(size=(1600, 1200))
    assert original.mimetype == "image/png"
    assert original.headers["X-Content-Type-Options"] == "nosniff"
    assert original.headers["Content-Disposition"] == "inline; filename=x.png"
    policy = original.headers["Content-Security-Policy"]
    assert "default-src 'none'" in policy and "sandbox" in policy
    thumb.close()
    original.close()


@pytest.mark.parametrize(
    "data, name, content_type",
    [
        (b"<html><script>alert(1)</script></html>", "photo.png", "image/png"),
        (b"%PDF-1.7\n1 0 obj\n", "photo.jpg", "image/jpeg"),
        (picture()[:200], "truncated.png", "image/png"),  # a broken image
        (picture("GIF"), "anim.gif", "image/gif"),  # an image, of a type not accepted
        (b"", "empty.png", "image/png"),
    ],
)
def test_a_file_that_is_not_an_accepted_image_is_refused_by_name_and_nothing_is_stored(
    running, cast, as_user, session, data, name, content_type
):
    events = session.scalar(select(func.count()).select_from(AuditEvent))
    response = upload(as_user(cast.beneficiary), running, data, name, content_type)
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "The image was not added" in page
    assert "is not an image twinflow accepts" in page or "is empty" in page
    assert images_of(session, running) == []
    assert session.scalar(select(func.count()).select_from(AuditEvent)) == events


def test_only_a_coordinator_marks_an_image_public(running, cast, as_user, session):
    upload(as_user(cast.beneficiary), running, picture(), "a.png", "image/png")
    (image,) = images_of(session, running)
    path = f"/projects/{running.id}/gallery"
    for user in (cast.beneficiary, cast.france, cast.admin):
        response = as_user(user).post(f"{path}/{image.id}/public", {"public": "1"}, token_from=path)
        assert response.status_code == 403, user.role
    refused = upload(as_user(cast.france), running, picture(), "b.png", "image/png")
    assert refused.status_code == 403
    assert [i.is_public for i in images_of(session, running)] == [False]


def test_the_projects_users_see_every_image_on_its_gallery_page(running, cast, as_user):
    upload(as_user(cast.coordinator), running, picture(), "a.png", "image/png", "Kick-off")
    page = as_user(cast.france).text(f"/projects/{running.id}/gallery")
    assert "Kick-off" in page and "Not public" in page
    assert "Show on the public page" not in page  # not a coordinator: no toggle
    thumb = re.search(r'src="(/projects/\d+/gallery/\d+/thumb)"', page).group(1)
    response = as_user(cast.france).get(thumb)
    assert response.status_code == 200 and response.mimetype == "image/jpeg"
    response.close()


def test_a_member_state_not_selected_sees_only_the_public_images(running, cast, make, as_user):
    upload(as_user(cast.coordinator), running, picture(), "a.png", "image/png")
    rival = as_user(cast.germany)
    assert rival.get(f"/projects/{running.id}/gallery").status_code == 403
    assert rival.get(f"/projects/{running.id}/gallery/1/thumb").status_code == 403


def photograph_with_location(orientation: int = 1) -> bytes:
    """A phone's JPEG: the GPS position, the camera and the owner in its EXIF."""
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    exif[0x013B] = "Jeanne Martin"  # Artist
    exif[0x0112] = orientation
    exif.get_ifd(0x8825).update({1: "N", 2: (48.0, 51.0, 24.0), 3: "E", 4: (2.0, 21.0, 3.0)})
    out = io.BytesIO()
    Image.new("RGB", (400, 300), (200, 40, 40)).save(out, "JPEG", exif=exif, quality=90)
    return out.getvalue()


def test_a_published_photograph_gives_away_neither_where_it_was_taken_nor_by_whom(
    running, cast, as_user, visitor, session
):
    upload(
        as_user(cast.beneficiary), running, photograph_with_location(), "seminar.jpg", "image/jpeg"
    )
    (image,) = images_of(session, running)
    path = f"/projects/{running.id}/gallery"
    as_user(cast.coordinator).post(f"{path}/{image.id}/public", {"public": "1"}, token_from=path)

    for reader, url in (
        (visitor, f"/public/projects/{running.id}/images/{image.id}/original"),
        (as_user(cast.coordinator), f"/projects/{running.id}/gallery/{image.id}/original"),
    ):
        response = reader.get(url)
        assert response.status_code == 200 and response.mimetype == "image/jpeg"
        with Image.open(io.BytesIO(response.get_data())) as served:
            assert served.size == (400, 300)
            assert not served.getexif() and not served.getexif().get_ifd(0x8825)
        assert b"Jeanne Martin" not in response.get_data()
        response.close()


def test_a_photograph_turned_by_its_orientation_tag_is_kept_upright_once_the_tag_is_gone(
    running, cast, as_user, session
):
    # Orientation 6: the camera was held on its side; viewers turn the picture 90 degrees.
    upload(
        as_user(cast.beneficiary), running, photograph_with_location(6), "side.jpg", "image/jpeg"
    )
    (image,) = images_of(session, running)
    assert (image.width, image.height) == (300, 400)
    with Image.open(io.BytesIO(image.data)) as kept:
        assert kept.size == (300, 400) and not kept.getexif()


def test_an_image_stored_with_its_location_before_uploads_were_cleaned_is_served_without_it(
    running, cast, as_user, visitor, session
):
    upload(as_user(cast.beneficiary), running, picture("JPEG"), "old.jpg", "image/jpeg")
    (image,) = images_of(session, running)
    image.data = photograph_with_location()  # as an earlier version kept it
    session.commit()
    path = f"/projects/{running.id}/gallery"
    as_user(cast.coordinator).post(f"{path}/{image.id}/public", {"public": "1"}, token_from=path)
    served = visitor.get(f"/public/projects/{running.id}/images/{image.id}/original")
    with Image.open(io.BytesIO(served.get_data())) as seen:
        assert seen.size == (400, 300) and not seen.getexif()
    served.close()
