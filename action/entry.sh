#!/usr/bin/env bash
# The GitHub Action's entry point (action.yml runs it; tests/e2e/test_action.py runs it in a
# temporary repository). It only turns the action's inputs into one `contractctl check`
# call: annotations go to stdout, and contractctl itself appends the review summary to
# $GITHUB_STEP_SUMMARY, so this script holds no logic a test could not see.
set -euo pipefail

against="${INPUT_AGAINST:-}"
if [[ -z "$against" && -n "${GITHUB_BASE_REF:-}" ]]; then
  # A pull request: compare with its base branch. actions/checkout fetches one commit by
  # default, so fetch the base when the remote-tracking ref is missing.
  base="$GITHUB_BASE_REF"
  if ! git rev-parse --verify --quiet "refs/remotes/origin/$base" >/dev/null \
    && git remote get-url origin >/dev/null 2>&1; then
    git fetch --no-tags --quiet origin "+refs/heads/$base:refs/remotes/origin/$base" || true
  fi
  if git rev-parse --verify --quiet "refs/remotes/origin/$base" >/dev/null; then
    against="git:origin/$base"
  else
    against="git:$base"
  fi
fi

args=()
if [[ -n "${INPUT_CONFIG:-}" ]]; then
  args+=(--config "$INPUT_CONFIG")
fi
args+=(check --format github --fail-on "${INPUT_FAIL_ON:-error}")
if [[ -n "$against" ]]; then
  args+=(--against "$against")
fi
if [[ -n "${INPUT_PATHS:-}" ]]; then
  read -r -a paths <<<"$INPUT_PATHS"
  args+=("${paths[@]}")
fi
exec "${CONTRACTCTL:-contractctl}" "${args[@]}"
