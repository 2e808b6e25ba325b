# Sourced by the scripts in this folder: the configuration as the bot reads it (src/config.ts),
# from the environment first and then the .env file at the top of the repository, so a variable set
# in .env (REDIS_URL, RUNNER, SANDBOX_IMAGE, DOCKER_HOST, ...) takes effect here as it does in the bot.
#
#   . "$root/scripts/env.sh"            # with $root the repository
#   value=$(env_value NAME)             # empty when set nowhere
#   env_bool RUNNER true                # prints true or false, exits 1 on a spelling the bot refuses

# A variable of the environment wins, even when empty (dotenv never overrides one); otherwise the
# last NAME=value line of .env, unquoted as dotenv does: a quoted value is taken as it stands, an
# unquoted one ends at the first #, and surrounding blanks go.
env_value() {
  if eval "[ -n \"\${$1+set}\" ]"; then
    eval "printf '%s\n' \"\${$1}\""
    return 0
  fi
  [ -f "$root/.env" ] || return 0
  awk -v name="$1" '
    {
      line = $0
      sub(/\r$/, "", line); sub(/^[ \t]+/, "", line); sub(/^export[ \t]+/, "", line)
      if (index(line, name) != 1) next
      rest = substr(line, length(name) + 1)
      sub(/^[ \t]+/, "", rest)
      if (substr(rest, 1, 1) != "=") next
      v = substr(rest, 2)
      sub(/^[ \t]+/, "", v)
      q = substr(v, 1, 1)
      if ((q == "\"" || q == "\047" || q == "`") && (e = index(substr(v, 2), q)) > 0) v = substr(v, 2, e - 1)
      else { sub(/#.*/, "", v); sub(/[ \t]+$/, "", v) }
      found = v; have = 1
    }
    END { if (have) print found }' "$root/.env"
}

# The spellings the bot's configuration accepts for a yes/no variable, and the default when unset.
env_bool() {
  v=$(env_value "$1")
  case "$v" in
    "") echo "$2" ;;
    1 | true | yes | on) echo true ;;
    0 | false | no | off) echo false ;;
    *)
      echo "$1=\"$v\": expected one of 1/0, true/false, yes/no, on/off" >&2
      return 1
      ;;
  esac
}
