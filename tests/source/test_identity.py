from repodigest.source.identity import assign_keys, folder_key


def test_keys_are_short_names():
    assert assign_keys(["ai-dynamo/nixl", "vllm-project/production-stack"]) == ["nixl", "production-stack"]


def test_same_short_name_gets_the_owner():
    assert assign_keys(["alice/tools", "bob/tools", "carol/other"]) == ["alice-tools", "bob-tools", "other"]


def test_identical_names_stay_distinct():
    keys = assign_keys(["o/r", "o/r"])
    assert len(set(keys)) == 2


def test_a_name_cannot_escape_the_output_folder():
    for hostile in ["../../etc", "..", ".", "/abs/path", "a/../../b", "~root", ""]:
        key = folder_key(hostile)
        assert key not in ("", ".", "..") and "/" not in key and not key.startswith(".")
