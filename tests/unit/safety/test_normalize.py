"""Speech-to-text normalisation: what the matcher sees, and spans back to the raw text."""

from __future__ import annotations

import pytest

from frontdesk.conversation.safety import default_lexicon
from frontdesk.conversation.safety.normalize import CLAUSE_BREAK, SENTENCE_BREAK, Tokens


def words(text: str) -> list[str]:
    return default_lexicon().normalizer.tokens(text).text


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("I'm DONE", ["i", "am", "done"]),
        ("im done", ["i", "am", "done"]),
        ("i dont know", ["i", "do", "not", "know"]),
        ("I don’t know", ["i", "do", "not", "know"]),
        ("i- i wanna go", ["i", "want", "to", "go"]),
        ("w- want it", ["want", "it"]),
        ("um i uh want", ["i", "want"]),
        ("kms rn", ["kill", "myself", "right", "now"]),
        ("self-harm", ["self", "harm"]),
        ("my mom's car", ["my", "mom", "car"]),
        ("sucidal", ["suicidal"]),
        ("suicdie", ["suicide"]),
        ("thought about milling myself", ["thought", "about", "killing", "myself"]),
        ("nyself", ["myself"]),
        ("sh*t scared", ["sh*t", "scared"]),
        ("give a sh** about it", ["give", "a", "sh**", "about", "it"]),
        ("f**k this", ["f**k", "this"]),
        ("i want to *die*", ["i", "want", "to", "die"]),
    ],
)
def test_normalised_words(text: str, expected: list[str]) -> None:
    """Contractions, stutters, fillers, slang, misspellings and censored words normalise."""
    assert words(text) == expected


def test_breaks_are_markers() -> None:
    """Sentence ends and clause-starting words become markers the matcher never crosses."""
    assert words("I'm fine. But tired") == [
        "i",
        "am",
        "fine",
        SENTENCE_BREAK,
        CLAUSE_BREAK,
        "tired",
    ]


@pytest.mark.parametrize("word", ["putting", "hunting", "rated", "record", "filling", "banging"])
def test_real_words_are_not_corrected(word: str) -> None:
    """Ordinary words one letter from a trigger word are left alone."""
    assert words(word) == [word]


def test_spelling_corrections_are_marked() -> None:
    """A corrected token is remembered so the verdict can say a spelling was fixed."""
    tokens = default_lexicon().normalizer.tokens("feeling sucidal")
    assert tokens.corrected == {1}


@pytest.mark.parametrize(
    ("text", "index", "raw"),
    [
        ("Hi, I'M scared", 1, "I'M"),
        ("Hi, I'M scared", 2, "I'M"),
        ("w- want", 0, "want"),
        ("so- so sad", 0, "so"),
        ("İstanbul trip then I want", 4, "want"),
    ],
)
def test_spans_index_the_raw_text(text: str, index: int, raw: str) -> None:
    """Every token's span slices the caller's raw text, even for expansions and odd casing."""
    tokens: Tokens = default_lexicon().normalizer.tokens(text)
    start, end = tokens.span(index)
    assert text[start:end] == raw


@pytest.mark.parametrize(
    ("offset", "expected"),
    [(0, 0), (1, 1), (2, 1), (3, 2), (7, 3), (12, 3), (13, 5), (16, 5), (17, 6), (99, 6)],
)
def test_index_at_finds_the_first_word_at_or_after_an_offset(offset: int, expected: int) -> None:
    """Words are found by where they start, expansions and stutters included."""
    text = "I I'm so so kms ok"
    tokens = default_lexicon().normalizer.tokens(text)
    assert tokens.text == ["i", "am", "so", "kill", "myself", "ok"]
    assert tokens.index_at(offset) == expected


def test_a_full_stop_between_letters_is_no_sentence_break() -> None:
    """'like.to' is a slip of the keyboard; 'tired.' and 'one. two' still end a sentence."""
    normalizer = default_lexicon().normalizer
    assert normalizer.tokens("i'd like.to die").text == ["i", "would", "like", "to", "die"]
    assert normalizer.tokens("so tired. i want").text == ["so", "tired", ".", "i", "want"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("i reallyyy wanttt to dieee", ["i", "really", "want", "to", "die"]),
        ("killll myselfff", ["kill", "myself"]),
        ("sooo tired", ["so", "tired"]),
        ("I'm stilll here", ["i", "am", "still", "here"]),
        ("Immm done", ["i", "am", "done"]),
        ("donnn't care", ["do", "not", "care"]),
        ("tooo many pills", ["too", "many", "pills"]),
        ("obsessed with DEATHHHH", ["obsessed", "with", "death"]),
        ("pleaseee helppp", ["please", "help"]),
    ],
)
def test_drawn_out_words_read_as_the_word(text: str, expected: list[str]) -> None:
    """A letter typed three or more times in a row is typed once, or twice where that is a word."""
    assert words(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("shhhh it's fine", ["it", "is", "fine"]),
        ("ssshhh", []),
        ("sh on my arms", ["self", "harm", "on", "my", "arms"]),
        ("hmmm ok", ["ok"]),
        ("too many pills", ["too", "many", "pills"]),
        ("1000 pills", ["1000", "pills"]),
        ("my bookkeeper", ["my", "bookkeeper"]),
    ],
)
def test_drawn_out_hush_and_double_letters_keep_their_reading(
    text: str, expected: list[str]
) -> None:
    """A drawn-out hush is no 'sh' (self-harm); doubled letters and digits are left alone."""
    assert words(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("im gonna end you know my life", ["i", "am", "going", "to", "end", "my", "life"]),
        ("i would never i mean hurt myself", ["i", "would", "never", "hurt", "myself"]),
        ("end my you know my life", ["end", "my", "life"]),
        ("you know, i want to die", ["i", "want", "to", "die"]),
        ("do you know what i mean", ["do", "you", "know", "what", "i", "mean"]),
        ("you know him", ["you", "know", "him"]),
        ("i mean it", ["i", "mean", "it"]),
        ("i dont you know think i can", ["i", "do", "not", "think", "i", "can"]),
        ("did you know i was there", ["did", "you", "know", "i", "was", "there"]),
    ],
)
def test_spoken_asides_are_dropped_inside_a_phrase(text: str, expected: list[str]) -> None:
    """'you know' and 'i mean' said as fillers go; said as part of the sentence they stay."""
    assert words(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("i dont dont trust myself", ["i", "do", "not", "trust", "myself"]),
        ("i wont wont need him", ["i", "will", "not", "need", "him"]),
        ("i can't can't go on", ["i", "can", "not", "go", "on"]),
        ("is it it is", ["is", "it", "is"]),
    ],
)
def test_a_pair_of_words_said_again_is_a_restart(text: str, expected: list[str]) -> None:
    """Two words said twice at once read once, as one word said twice does."""
    assert words(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("i like am gonna end it", ["i", "am", "going", "to", "end", "it"]),
        ("i like had never been born", ["i", "had", "never", "been", "born"]),
        ("im going like to jump", ["i", "am", "going", "to", "jump"]),
        ("going to like to end it", ["going", "to", "end", "it"]),
        ("keep myself like myself safe", ["keep", "myself", "safe"]),
        ("i like my therapist", ["i", "like", "my", "therapist"]),
        ("i would like to book", ["i", "would", "like", "to", "book"]),
    ],
)
def test_like_before_an_auxiliary_or_to_is_a_filler(text: str, expected: list[str]) -> None:
    """'I like am', 'going like to' say nothing of liking; 'I like my', 'would like to' do.

    A word said again after the filler is a restart.
    """
    assert words(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("I have the pills. I'm gonna take them all", "i have the pills and i am going to"),
        ("I bought a rope. to be honest im going to use it", "i bought a rope and to be"),
        ("I'm done. I have everything ready", "i am done and i have"),
        ("I've got my dad's gun! going through with it", "i have got my dad gun and going"),
        # a run of sentences that each point back is read as one
        ("I have a gun. I loaded it. I will use it", "i have a gun . i loaded it and i"),
        ("I have a gun. I'll use it. I'll do it", "i have a gun and i will use it and i"),
    ],
)
def test_a_sentence_that_points_back_goes_on_from_the_one_before(text: str, expected: str) -> None:
    """A break before an opening that points back ("use it", "take them all") reads "and"."""
    assert " ".join(words(text)).startswith(expected)


@pytest.mark.parametrize(
    "text",
    [
        "I have the pills. I'm going to take my pills with dinner",
        "I have a gun. my son and my daughter and my wife and I all want to use it",
        "I have a referral. Can I book for Tuesday",
        ". use it",
        "use it.",
    ],
)
def test_a_sentence_that_does_not_point_back_stays_apart(text: str) -> None:
    """No opening, or one further than `within` tokens into its sentence: the break stays."""
    said = words(text)
    assert said.count(SENTENCE_BREAK) == text.lstrip(".").count(".")
