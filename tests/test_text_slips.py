"""What the controls and Newton's views say matches what they do."""

import json

import optimizers
from tests.pages import new_page as page
from tests.pages import open_settings


def test_a_switch_names_its_setting_once():
    at = open_settings(page(opt="adam,momentum"), "adam", "momentum")
    assert at.toggle(key="adam.bias_correction").label.lower().count("bias correction") == 1
    assert at.toggle(key="momentum.nesterov").label.count("Nesterov") == 1


def test_alpha_is_spelt_as_its_optimizer():
    at = open_settings(page(opt="newton_reg"), "newton_reg")
    label = at.select_slider(key="newton_reg.alpha").label
    assert "Regularized" in optimizers.get("newton_reg").label
    assert "regularized" in label.lower() or "regularization" in label.lower()


def test_plain_newton_never_mentions_alpha():
    # From x0 = -20 (the default) on the article's function Newton climbs to a maximum.
    at = page(opt="newton", view="explore", ex="newton", step="3")
    assert not at.exception
    texts = [json.loads(c.proto.spec)["layout"]["title"]["text"] for c in at.get("plotly_chart")]
    assert texts and not any("α" in s for s in texts)
    race = page(opt="newton")
    spec = json.loads(race.get("plotly_chart")[0].proto.spec)
    uphill = [d["name"] for d in spec["data"] if "maximum" in (d.get("name") or "")]
    assert uphill and not any("α" in name for name in uphill)
    state_options = race.selectbox(key="state").options
    assert not any("α" in o for o in state_options)
