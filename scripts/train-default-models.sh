#!/usr/bin/env bash
# Reproduces Kotoba's shipped models (models/kotoba-*) from the openly licensed data in
# ../shared/data, with Kotoba's own commands only: train-tokenizer, pretrain, finetune, export.
#
#   bash scripts/train-default-models.sh            # everything, in order
#   bash scripts/train-default-models.sh bert-mini  # some stages (see STAGES below)
#
# Resumable: every stage that finished leaves "<stage>.done" in the work folder and is skipped
# next time; a stage stopped half-way (Ctrl-C, a closed laptop, a killed process) continues from
# its newest checkpoint with --resume, so the whole run can be spread over several sittings.
# Wall time is added up per stage in "<stage>.seconds" and goes into the model cards.
#
# Environment: KOTOBA_DATA (default ../shared/data), KOTOBA_TRAIN_DIR (default train-runs, the
# checkpoints), KOTOBA_MODELS_OUT (default models). The step counts below are the ones the shipped
# models were trained with on a 2-core machine; change them and the cards will say so.
set -euo pipefail
cd "$(dirname "$0")/.."

DATA=${KOTOBA_DATA:-../shared/data}
WORK=${KOTOBA_TRAIN_DIR:-train-runs}
MODELS=${KOTOBA_MODELS_OUT:-models}
CONFIGS=scripts/default-models
STAGES_ALL="tokenizers bert-mini bert-mini-sentiment bert-mini-pos gpt-mini t5-pretrain t5-mini cards"
STAGES=${*:-$STAGES_ALL}

BERT_STEPS=${BERT_STEPS:-450}
GPT_STEPS=${GPT_STEPS:-1000}
T5_PRETRAIN_STEPS=${T5_PRETRAIN_STEPS:-1500}
T5_FINETUNE_STEPS=${T5_FINETUNE_STEPS:-4000}
POS_EPOCHS=${POS_EPOCHS:-8}

EN=("$DATA"/corpus/en/*.txt.gz)
JA=("$DATA"/corpus/ja/*.txt.gz)
mkdir -p "$WORK" "$MODELS"
[ -f dist/src/cli/main.js ] || npm run build

# Runs the CLI; inside a stage, the exact command line is also kept for the model card.
kotoba() {
  if [ -n "$CURRENT" ]; then printf 'kotoba %s\n' "$*" >> "$WORK/$CURRENT.commands"; fi
  node dist/src/cli/main.js "$@"
}

# --resume when the run folder already holds a checkpoint
resume_flag() { if compgen -G "$1/checkpoint-*" > /dev/null; then echo --resume; fi; }

CURRENT=""
STARTED=0
record_time() {
  if [ -n "$CURRENT" ]; then echo $(( $(date +%s) - STARTED )) >> "$WORK/$CURRENT.seconds"; CURRENT=""; fi
}
trap record_time EXIT

# stage NAME COMMAND...: runs COMMAND unless NAME is done; times it; marks it done.
stage() {
  local name=$1; shift
  if [ -f "$WORK/$name.done" ]; then echo "== $name: done before, skipped"; return; fi
  echo "== $name"
  CURRENT=$name; STARTED=$(date +%s)
  # a stage continued in a later sitting keeps the commands (and wall time) of the earlier ones
  [ -f "$WORK/$name.seconds" ] || : > "$WORK/$name.commands"
  "$@"
  record_time
  touch "$WORK/$name.done"
}

# The final weights go into models/ as float16 (half the size; Kotoba computes in float32), in
# files of at most 10 MB (git hosts refuse large files).
ship() { kotoba export "$1" --format hf --dtype f16 --max-shard-size 10MB -o "$MODELS/$2"; }

tokenizers() {
  kotoba train-tokenizer --type wordpiece --vocab-size 8000 --data "${EN[@]}" --out "$WORK/tokenizer-wordpiece"
  kotoba train-tokenizer --type bpe --vocab-size 8000 --data "${EN[@]}" --out "$WORK/tokenizer-bpe"
  # T5's vocabulary also has to spell German and Japanese targets: the Japanese corpus and the
  # training sides of the translation sets join a slice of the English corpus.
  kotoba train-tokenizer --type unigram --vocab-size 12000 --extra-ids 100 \
    --data "${JA[@]}" "$DATA"/translation_en_de/train.jsonl "$DATA"/translation_en_ja/train.jsonl \
      "$DATA"/bible_kjv_to_web/train.jsonl "$DATA"/corpus/en/austen.txt.gz \
    --text-column source target --out "$WORK/tokenizer-unigram"
}

# pretrain RUN CONFIG ARCH TOKENIZER STEPS EVAL_STEPS FILES...: one pretraining run, 128-token blocks.
pretrain() {
  local run=$1 config=$2 arch=$3 tokenizer=$4 steps=$5 eval_steps=$6; shift 6
  kotoba pretrain --arch "$arch" --config "$CONFIGS/$config.json" --tokenizer "$WORK/tokenizer-$tokenizer" \
    --data "$@" --out "$WORK/$run" --block-size 128 --validation-split 0.005 \
    --max-steps "$steps" --batch-size 32 --lr 1e-3 --warmup-ratio 0.06 --weight-decay 0.01 \
    --logging-steps 25 --eval-steps "$eval_steps" --save-steps 50 --save-total-limit 2 --progress lines \
    $(resume_flag "$WORK/$run")
}

bert_mini() {
  pretrain bert-mini bert-mini bert wordpiece "$BERT_STEPS" 225 "${EN[@]}"
  ship "$WORK/bert-mini" kotoba-bert-mini
}

bert_mini_sentiment() {
  # Task-adaptive pretraining (Gururangan et al. 2020): masked-LM on the training split's texts
  # (reviews, unlike the corpus) before fine-tuning on their labels.
  kotoba pretrain --arch bert --init-from "$MODELS/kotoba-bert-mini" --data "$DATA/sentiment_uci/train.jsonl" \
    --out "$WORK/bert-mini-sentiment-tapt" --block-size 64 --validation-split 0.05 --epochs 8 --batch-size 32 \
    --lr 5e-4 --warmup-ratio 0.06 --weight-decay 0.01 --logging-steps 25 --save-steps 50 --save-total-limit 2 \
    --progress lines $(resume_flag "$WORK/bert-mini-sentiment-tapt")
  kotoba finetune --model "$WORK/bert-mini-sentiment-tapt" --task text-classification \
    --train "$DATA/sentiment_uci/train.jsonl" --validation "$DATA/sentiment_uci/validation.jsonl" \
    --out "$WORK/bert-mini-sentiment" --max-length 64 --epochs 5 --batch-size 32 --lr 2e-4 \
    --warmup-ratio 0.1 --weight-decay 0.01 --eval-steps 75 --save-steps 75 --save-total-limit 2 \
    --load-best-model-at-end --metric accuracy --logging-steps 25 --progress lines \
    $(resume_flag "$WORK/bert-mini-sentiment")
  ship "$WORK/bert-mini-sentiment" kotoba-bert-mini-sentiment
}

# The shipped run did 2 epochs, then was continued in later sittings to 4 and to 8 (POS_EPOCHS with
# the stage's .done removed: --resume picks up where the last run ended, on the longer schedule).
bert_mini_pos() {
  kotoba finetune --model "$MODELS/kotoba-bert-mini" --task token-classification \
    --train "$DATA/brown_pos/train.jsonl" --validation "$DATA/brown_pos/validation.jsonl" \
    --text-column tokens --label-column tags --unknown-labels ignore \
    --out "$WORK/bert-mini-pos" --max-length 96 --epochs "$POS_EPOCHS" --batch-size 32 --lr 1e-3 \
    --warmup-ratio 0.06 --weight-decay 0.01 --eval-steps 325 --save-steps 325 --save-total-limit 2 \
    --load-best-model-at-end --metric accuracy --logging-steps 25 --progress lines \
    $(resume_flag "$WORK/bert-mini-pos")
  ship "$WORK/bert-mini-pos" kotoba-bert-mini-pos
}

# The shipped GPT-mini ran 250 steps in a first sitting, then was continued in a later one
# (GPT_STEPS with the stage's .done removed: --resume continues on the longer schedule, whose rate
# at the resumed step is back up from 0) to 1,200 (0.84 of the peak rate at step 250) and, from
# step 350, to 1,000 (0.69 of the peak there) as the machine was slower than planned.
gpt_mini() {
  pretrain gpt-mini gpt-mini gpt2 bpe "$GPT_STEPS" 225 "${EN[@]}"
  ship "$WORK/gpt-mini" kotoba-gpt-mini
}

# T5 v1.1 starts slowly (initializer_factor 0.1, see t5-mini.json) and is small: it takes the
# learning rate usual for small T5 with AdamW, 3e-3, in both stages.
# The shipped pretraining ran 150 steps in a first sitting and was continued in a later one to
# 1,500 (T5_PRETRAIN_STEPS=1500 with the stage's .done removed: --resume continues on the longer
# schedule, whose rate at step 150 is back up to ~2.9e-3 and decays linearly to 0 at 1,500).
# Fine-tuning after only 150 steps left the classification prefixes at one answer; after 1,500
# the fine-tune's evaluation loss was lower at every step (5.39 against 5.61 at step 1,800).
t5_pretrain() {
  kotoba pretrain --arch t5 --config "$CONFIGS/t5-mini.json" --tokenizer "$WORK/tokenizer-unigram" \
    --data "${EN[@]}" "${JA[@]}" --out "$WORK/t5-pretrain" --block-size 128 --validation-split 0.005 \
    --max-steps "$T5_PRETRAIN_STEPS" --batch-size 32 --lr 3e-3 --warmup-ratio 0.06 --weight-decay 0.01 \
    --logging-steps 25 --eval-steps 500 --save-steps 50 --save-total-limit 2 --progress lines \
    $(resume_flag "$WORK/t5-pretrain")
}

# The task mix is written in length-grouped batches of 16 and read in file order (--no-shuffle):
# every batch is padded only to about its members' length (most pairs are far shorter than the
# longest), half the padded target positions of a shuffled mix. 64 tokens keep 88% of the sources
# and 94% of the targets whole (a longer one is cut, its </s> kept).
# The shipped fine-tune started from the 1,500-step pretraining on a 6,000-step schedule, was
# stopped with Ctrl-C at step 1,385 and continued to 2,698 (--resume), then, short of time, was
# continued with T5_FINETUNE_STEPS=4000: the resumed schedule decays linearly from step 2,698's
# rate (1.0e-3, a third of the peak) to 0 at 4,000. An earlier model,
# fine-tuned from 150 pretraining steps in four sittings, overfitted past 6,000 steps (evaluation
# loss up from 4.98 to 5.03 at 6,400 while training loss fell to 3.8, at epoch 3.5 of the mix).
T5_BATCH=16
t5_mini() {
  node dist/scripts/make-t5-task-mix.js "$DATA" "$WORK/t5-task-mix" "$T5_BATCH"
  kotoba finetune --model "$WORK/t5-pretrain" --task text2text \
    --train "$WORK/t5-task-mix/train.jsonl" --validation "$WORK/t5-task-mix/validation.jsonl" \
    --text-column source --label-column target --max-length 64 --max-target-length 64 --no-shuffle \
    --out "$WORK/t5-mini" --max-steps "$T5_FINETUNE_STEPS" --batch-size "$T5_BATCH" --lr 3e-3 \
    --warmup-ratio 0.03 --weight-decay 0.01 --eval-steps 200 --save-steps 100 --save-total-limit 2 \
    --load-best-model-at-end --logging-steps 25 --progress lines \
    $(resume_flag "$WORK/t5-mini")
  ship "$WORK/t5-mini" kotoba-t5-mini
}

cards() { node dist/scripts/write-model-cards.js "$WORK" "$MODELS"; }

for s in $STAGES; do
  case $s in
    tokenizers) stage tokenizers tokenizers ;;
    bert-mini) stage bert-mini bert_mini ;;
    bert-mini-sentiment) stage bert-mini-sentiment bert_mini_sentiment ;;
    bert-mini-pos) stage bert-mini-pos bert_mini_pos ;;
    gpt-mini) stage gpt-mini gpt_mini ;;
    t5-pretrain) stage t5-pretrain t5_pretrain ;;
    t5-mini) stage t5-mini t5_mini ;;
    cards) cards ;;
    *) echo "unknown stage $s (stages: $STAGES_ALL)" >&2; exit 2 ;;
  esac
done
