"""What every page's forms share: the project's own messages instead of WTForms' defaults, the
right keyboard on phones (inputmode), a skip link and a vendored favicon."""
from lms.core.forms import WTFORMS_MESSAGES


def test_wtforms_defaults_are_replaced_by_the_projects_words(client):
    html = client.post("/login", data={"username": "", "password": ""}).get_data(as_text=True)
    assert "请填写此项" in html and "This field is required" not in html


def test_the_english_reader_gets_the_projects_english(client):
    client.post("/lang/en")
    html = client.post("/login", data={"username": "", "password": ""}).get_data(as_text=True)
    assert "Please fill in this field" in html and "This field is required" not in html


def test_every_default_message_of_wtforms_is_replaced():
    import inspect
    import re

    import wtforms.fields
    import wtforms.validators

    sources = inspect.getsource(wtforms.validators) + "".join(
        inspect.getsource(m) for m in (wtforms.fields.core, wtforms.fields.choices, wtforms.fields.numeric,
                                       wtforms.fields.datetime))
    defaults = set(re.findall(r'gettext\(\s*"([^"]+)"', sources))
    for singular in re.findall(r'ngettext\(\s*"([^"]+)"', sources):
        defaults.add(singular)
    defaults -= {"Invalid IP address.", "Invalid Mac address.", "Invalid URL.", "Invalid UUID.",
                 "Invalid value, must be one of: %(values)s.", "Invalid value, can't be any of: %(values)s.",
                 "Invalid field name '%s'."}  # validators the project does not use
    assert defaults - set(WTFORMS_MESSAGES) == set()


def test_numeric_fields_bring_up_the_right_keyboard(client, login, make_user):
    html = client.get("/register").get_data(as_text=True)
    assert 'id="phone"' in html and 'inputmode="tel"' in html
    login(make_user("trainee"))
    profile = client.get("/my/profile").get_data(as_text=True)
    assert 'inputmode="decimal"' in profile  # years of standardization work
    # an ID number may end in X, which a numeric keypad lacks
    id_input = profile[profile.index('id="id_number"') - 200: profile.index('id="id_number"') + 200]
    assert 'inputmode="numeric"' not in id_input and 'autocapitalize="characters"' in id_input


def test_skip_link_and_favicon(client):
    html = client.get("/login").get_data(as_text=True)
    assert html.index('class="skip-link" href="#main"') < html.index('id="main"')
    assert 'rel="icon"' in html
    with client.get("/favicon.ico") as icon:
        assert icon.status_code == 200 and icon.data[:4] == b"\x00\x00\x01\x00"  # an ICO file, served locally
