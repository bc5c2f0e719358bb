"""The bash, zsh and fish completion scripts, written from the grammar's walk (completion.py).

bash and zsh share two generated functions (plain POSIX `case`): `_jiv_spec PATH` sets a command
path's options, the options taking a value, subcommands and positional kinds; `_jiv_kind PATH
OPTION` sets the kind of value an option takes. Each shell's own function reads the line, walks
it with those, and completes words, files, or names from `__complete` (the current backend).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

PROGRAM = "jupyter-image-versions"
HIDDEN = "__complete"  # the hidden subcommand the scripts run for names


@dataclass
class Command:
    """What completes after one command path."""

    path: str
    help: str = ""
    options: list[str] = field(default_factory=list)
    values: dict[str, str] = field(default_factory=dict)  # option -> kind
    subcommands: dict[str, str] = field(default_factory=dict)  # name -> help
    positionals: list[str] = field(default_factory=list)  # kinds, in order


def _q(text: str) -> str:
    """Single-quoted for sh, fish."""
    return "'" + text.replace("'", "'\\''") + "'"


def _shared(commands: Sequence[Command]) -> str:
    spec = []
    kinds = []
    for c in commands:
        vals = sorted(c.values)
        spec.append(
            f'        "{c.path}") opts={_q(" ".join(c.options))}; vals={_q(" ".join(vals))};'
            f" subs={_q(' '.join(c.subcommands))}; poskinds={_q(' '.join(c.positionals))};;"
        )
        for name, kind in c.values.items():
            kinds.append(f'        "{c.path}|{name}") kind={_q(kind)};;')
    return "\n".join(
        [
            "_jiv_spec() {  # a command path's options, value options, subcommands, positionals",
            '    opts=""; vals=""; subs=""; poskinds=""',
            '    case "$1" in',
            *spec,
            "    esac",
            "}",
            "_jiv_kind() {  # what option $2 of command path $1 takes",
            "    kind=free",
            '    case "$1|$2" in',
            *kinds,
            "    esac",
            "}",
        ]
    )


# The walk of the line, the same in both shells but for arrays' first index ($first).
_WALK = """    local key="" pos=0 word opts vals subs poskinds kind=""
    _jiv_spec ""
    while (( i < last )); do
        word="${W[i]}"
        if [[ $word == -* ]]; then
            if [[ $word != *=* && " $vals " == *" $word "* ]]; then
                case "$word" in
                    --backend|--region|--profile|--endpoint-url) backend+=("$word" "${W[i+1]}");;
                esac
                i=$((i + 1))
            fi
        elif [[ " $subs " == *" $word "* ]]; then
            key="${key:+$key }$word"; pos=0; _jiv_spec "$key"
        else
            pos=$((pos + 1))
        fi
        i=$((i + 1))
    done
    local prev="${W[last-1]}"
    if [[ $prev == -* && " $vals " == *" $prev "* ]]; then
        _jiv_kind "$key" "$prev"
    elif [[ $cur == -* ]]; then
        kind="words:${opts// /,}"
    elif [[ -n $subs ]]; then
        kind="words:${subs// /,}"
    else
        kinds=($SPLIT)
        kind="${kinds[pos+first]}"
    fi"""


def bash_script(commands: Sequence[Command]) -> str:
    walk = _WALK.replace("W[", "words[").replace("$SPLIT", "$poskinds")
    return f"""# bash completion for jupyter image-versions
#   eval "$(jupyter image-versions completion bash)"  (in ~/.bashrc)
{_shared(commands)}
_jiv_reply() {{
    local IFS=$'\\n'
    case "$1" in
        words:*) local list="${{1#words:}}"
            COMPREPLY=($(compgen -W "${{list//,/$'\\n'}}" -- "$cur"));;
        files) COMPREPLY=($(compgen -f -- "$cur")); compopt -o filenames 2>/dev/null;;
        images|targets)
            COMPREPLY=($(compgen -W "$("${{prog[@]}}" "${{backend[@]}}" {HIDDEN} "$1" "$cur" \\
                2>/dev/null)" -- "$cur"))
            if [[ ${{COMPREPLY[0]}} == *[:@] ]]; then compopt -o nospace 2>/dev/null; fi
            if [[ $cur == *:* && $COMP_WORDBREAKS == *:* ]]; then  # bash splits words at ':'
                local colon="${{cur%"${{cur##*:}}"}}" j
                for j in "${{!COMPREPLY[@]}}"; do COMPREPLY[j]="${{COMPREPLY[j]#"$colon"}}"; done
            fi;;
        *) COMPREPLY=();;
    esac
}}
_jupyter_image_versions() {{
    local line="${{COMP_LINE:0:COMP_POINT}}"
    local -a words prog backend kinds
    read -ra words <<< "$line"
    if [[ -z $line || $line == *[[:space:]] ]]; then words+=(""); fi
    local last=$((${{#words[@]}} - 1)) i=1 first=0
    local cur="${{words[last]}}"
    prog=("${{words[0]}}")
    if [[ ${{words[0]##*/}} == jupyter ]]; then
        if (( last == 1 )); then COMPREPLY=($(compgen -W "image-versions" -- "$cur")); return 0; fi
        [[ ${{words[1]}} == image-versions ]] || return 0
        prog+=(image-versions); i=2
        if type -P {PROGRAM} >/dev/null; then prog=({PROGRAM}); fi  # one process fewer
    fi
{walk}
    _jiv_reply "$kind"
    return 0
}}
complete -F _jupyter_image_versions {PROGRAM}
complete -p jupyter &>/dev/null || complete -F _jupyter_image_versions jupyter
"""


def zsh_script(commands: Sequence[Command]) -> str:
    walk = _WALK.replace("W[", "w[").replace("$SPLIT", "${=poskinds}")
    return f"""#compdef {PROGRAM} jupyter
# zsh completion for jupyter image-versions
#   eval "$(jupyter image-versions completion zsh)"  (in ~/.zshrc, after compinit)
{_shared(commands)}
_jupyter_image_versions() {{
    local -a w prog backend kinds found
    w=("${{(@)words[1,CURRENT]}}")
    local last=${{#w}} i=2 first=1 c
    local cur="${{w[last]}}"
    prog=("${{w[1]}}")
    if [[ ${{w[1]:t}} == jupyter ]]; then
        if (( last == 2 )); then compadd -- image-versions; return; fi
        [[ ${{w[2]}} == image-versions ]] || return 1
        prog+=(image-versions); i=3
        if (( ${{+commands[{PROGRAM}]}} )); then prog=({PROGRAM}); fi
    fi
{walk}
    case "$kind" in
        words:*) compadd -- ${{(s:,:)${{kind#words:}}}};;
        files) _files;;
        images|targets)
            found=(${{(f)"$("${{prog[@]}}" "${{backend[@]}}" {HIDDEN} "$kind" "$cur" \
                2>/dev/null)"}})
            for c in $found; do
                if [[ $c == *[:@] ]]; then compadd -S '' -- "$c"; else compadd -- "$c"; fi
            done;;
    esac
}}
if [[ ${{zsh_eval_context[-1]}} == loadautofunc ]]; then
    _jupyter_image_versions "$@"
else
    compdef _jupyter_image_versions {PROGRAM}
    (( ${{+_comps[jupyter]}} )) || compdef _jupyter_image_versions jupyter
fi
"""


def fish_script(commands: Sequence[Command]) -> str:
    lines = [
        "# fish completion for jupyter-image-versions:",
        f"#   jupyter image-versions completion fish > ~/.config/fish/completions/{PROGRAM}.fish",
        f"complete -c {PROGRAM} -f",
    ]
    by_path = {c.path: c for c in commands}
    for c in commands:
        if c.path:
            name = c.path.split()[-1]
            parent = by_path[" ".join(c.path.split()[:-1])]
            siblings = " ".join(parent.subcommands)
            seen = "".join(f"__fish_seen_subcommand_from {p}; and " for p in c.path.split()[:-1])
            when = f"{seen}not __fish_seen_subcommand_from {siblings}"
            lines.append(f"complete -c {PROGRAM} -n {_q(when)} -a {name} -d {_q(c.help)}")
        cond = f"-n {_q('__fish_seen_subcommand_from ' + c.path.split()[-1])} " if c.path else ""
        for opt in c.options:
            kind = c.values.get(opt)
            if c.path and opt in by_path[""].options and kind == by_path[""].values.get(opt):
                continue  # a common option: completed everywhere by the root's line
            what = "" if kind is None else " -x"
            if kind == "files":
                what = " -rF"
            elif kind and kind.startswith("words:"):
                what = f" -xa {_q(kind[6:].replace(',', ' '))}"
            lines.append(f"complete -c {PROGRAM} {cond}-l {opt[2:]}{what}")
        for kind in dict.fromkeys(c.positionals):
            if kind in ("images", "targets"):
                found = f"({PROGRAM} {HIDDEN} {kind} (commandline -ct) 2>/dev/null)"
                lines.append(f"complete -c {PROGRAM} {cond}-a {_q(found)}")
            elif kind.startswith("words:"):
                lines.append(f"complete -c {PROGRAM} {cond}-a {_q(kind[6:].replace(',', ' '))}")
    return "\n".join(lines) + "\n"
