"""The helpers every chart shares."""

from dashboard.charts.base import Bar, Spec, finish, n_range, period_ticks
from dashboard.charts.layout import y_title_of

THIN = "\u202f"


def test_long_period_axes_are_labelled_at_most_eight_times_evenly():
    x = [f"m{i}" for i in range(36)]
    fig = Spec()
    period_ticks(fig, x)
    axis = fig.layout["xaxis"]
    assert axis["tickvals"] == ["m0", "m5", "m10", "m15", "m20", "m25", "m30", "m35"]
    assert axis["categoryarray"] == x
    short = Spec()
    period_ticks(short, x[:5])
    assert short.layout["xaxis"]["tickvals"] == x[:5] and short.layout["xaxis"]["tickangle"] == 0


def test_n_as_a_range_or_a_single_figure():
    assert n_range([12, None, 1400, 30], "persons_assessed", "cell", "fr") == f"n = 12 à 1{THIN}400 personnes évaluées par case"
    assert n_range([7, 7], "persons", "domain", "en") == "n = 7 people"
    assert n_range([None], "persons", "domain", "fr") == "n = 0 personnes"


def test_finish_builds_one_figure_with_title_n_note_and_hint():
    spec = Spec(Bar(x=["a"], y=[3], marker_color="#000000"))
    fig = finish(spec, title="T", n="n = 3", lang="fr", k=5, any_suppressed=True, hidden_share=0.5, x_title="X", y_title="Y")
    assert fig.data[0].marker.color == "#000000"
    lines = fig.layout.title.subtitle.text.split("<br>")
    assert lines[0] == "n = 3"
    assert lines[1].startswith("Gris ou « < 5 »")
    assert "regroupez par trimestre ou année" in lines[2]
    assert (fig.layout.xaxis.title.text, y_title_of(fig)) == ("X", "Y")  # Y above the plot, read horizontally
    assert fig.layout.separators == ", "
    plain = finish(Spec(), title="T", n="n = 3", lang="en", k=5, any_suppressed=False)
    assert plain.layout.title.subtitle.text == "n = 3"
    assert plain.layout.separators == ".,"


def test_no_coarser_grouping_suggested_when_already_by_year():
    from dashboard.charts.base import hint

    assert hint(0.5, "month") == 0.5
    assert hint(0.5, "year") == 0.0
    spec = Spec()
    fig = finish(spec, title="T", n="n = 3", lang="fr", k=5, any_suppressed=True, hidden_share=hint(0.9, "year"))
    assert "regroupez" not in fig.layout.title.subtitle.text


def test_by_quarter_only_the_year_is_suggested():
    from dashboard.charts.base import hint

    fig = finish(Spec(), title="T", n="n = 3", lang="fr", k=5, any_suppressed=True, hidden_share=hint(0.5, "quarter"),
                 by="quarter")
    assert fig.layout.title.subtitle.text.split("<br>")[2] == "Beaucoup de chiffres masqués : regroupez par année."
