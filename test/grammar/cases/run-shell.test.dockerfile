# SYNTAX TEST "source.dockerfile" "shell-form RUN: continuations, comments inside them, flags, exec form"
FROM python:3.12-slim AS build
# <---- keyword.other.special-method.dockerfile

RUN pip install --no-cache-dir numpy
# <--- meta.instruction.run.dockerfile keyword.other.special-method.dockerfile
#  ^ meta.instruction.run.dockerfile - meta.embedded.block.shell.dockerfile
#   ^^^ meta.embedded.block.shell.dockerfile entity.name.command.shell
#       ^^^^^^^ meta.embedded.block.shell.dockerfile string.unquoted.argument.shell
#                                ^^^^^ string.unquoted.argument.shell

RUN apt-get update && \
    # a comment line inside the continuation: Docker drops it
    apt-get install -y --no-install-recommends curl \
    && rm -rf /var/lib/apt/lists/*
#   ^^ meta.instruction.run.dockerfile meta.embedded.block.shell.dockerfile punctuation.separator.statement.and.shell
#      ^^ meta.embedded.block.shell.dockerfile entity.name.command.shell
ENV PIP_NO_CACHE_DIR=1
# <--- keyword.other.special-method.dockerfile - meta.instruction.run.dockerfile meta.embedded.block.shell.dockerfile
#   ^^^^^^^^^^^^^^^^^^ - meta.embedded.block.shell.dockerfile

# the lines of the continued RUN above, asserted one by one
RUN apt-get update && \
#   ^^^^^^^ entity.name.command.shell
#                  ^^ punctuation.separator.statement.and.shell
#                     ^ meta.embedded.block.shell.dockerfile constant.character.escape.line-continuation.dockerfile
    # a comment line inside the continuation
#   ^ meta.instruction.run.dockerfile comment.line.number-sign.dockerfile punctuation.definition.comment.dockerfile
#     ^^^^^^^ meta.instruction.run.dockerfile comment.line.number-sign.dockerfile
    apt-get install -y curl
#   ^^^^^^^ meta.instruction.run.dockerfile meta.embedded.block.shell.dockerfile entity.name.command.shell
#                      ^^^^ meta.instruction.run.dockerfile string.unquoted.argument.shell

RUN --mount=type=cache,target=/root/.cache/pip --network=none pip install -r requirements.txt
#   ^^ meta.instruction.run.dockerfile meta.flag.dockerfile punctuation.definition.flag.dockerfile - meta.embedded.block.shell.dockerfile
#     ^^^^^ meta.flag.dockerfile entity.other.attribute-name.flag.dockerfile - meta.embedded.block.shell.dockerfile
#          ^ meta.flag.dockerfile keyword.operator.assignment.dockerfile
#           ^^^^ meta.flag.dockerfile string.unquoted.flag-value.dockerfile variable.parameter.flag-option.dockerfile
#                ^^^^^ meta.flag.dockerfile string.unquoted.flag-value.dockerfile - variable.parameter.flag-option.dockerfile
#                     ^ punctuation.separator.comma.dockerfile
#                      ^^^^^^ variable.parameter.flag-option.dockerfile
#                             ^^^^^^^^^^^^^^^^ string.unquoted.flag-value.dockerfile - meta.embedded.block.shell.dockerfile
#                                              ^^^^^^^^^^^^^^ meta.flag.dockerfile - meta.embedded.block.shell.dockerfile
#                                                             ^^^ meta.embedded.block.shell.dockerfile entity.name.command.shell - meta.flag.dockerfile
#                                                                         ^^ meta.embedded.block.shell.dockerfile - meta.flag.dockerfile

# flags on their own line, continued: the body still starts as shell
RUN --mount=type=secret,id=netrc,target=/root/.netrc \
#                                                    ^ constant.character.escape.line-continuation.dockerfile - meta.embedded.block.shell.dockerfile
    --mount=type=bind,source=uv.lock,target=uv.lock \
#   ^^ meta.flag.dockerfile punctuation.definition.flag.dockerfile
    uv sync --locked --no-dev
#   ^^ meta.embedded.block.shell.dockerfile entity.name.command.shell - meta.flag.dockerfile
#           ^^^^^^^^ meta.embedded.block.shell.dockerfile - meta.flag.dockerfile

# exec form is JSON, left to the built-in grammar (no shell, no slimdock scopes)
RUN ["pip", "install", "--no-cache-dir", "numpy"]
# <--- keyword.other.special-method.dockerfile - meta.instruction.run.dockerfile
#     ^^^ string.quoted.double.dockerfile - meta.embedded.block.shell.dockerfile entity.name.command.shell
#                                         ^^^^^ string.quoted.double.dockerfile - meta.instruction.run.dockerfile
RUN --network=none ["python", "-m", "compileall", "/app"]
#                   ^^^^^^ string.quoted.double.dockerfile - meta.embedded.block.shell.dockerfile

# keywords are case-insensitive, ONBUILD RUN is a RUN
run echo lower
# <--- meta.instruction.run.dockerfile keyword.other.special-method.dockerfile
#   ^^^^ entity.name.command.shell
ONBUILD RUN pip install .
# <------- keyword.control.dockerfile
#       ^^^ meta.instruction.run.dockerfile keyword.other.special-method.dockerfile
#           ^^^ entity.name.command.shell

# shell syntax inside the body
RUN set -eux; if [ -f requirements.txt ]; then pip install -r requirements.txt; fi
#   ^^^ entity.name.command.shell
#           ^ punctuation.terminator.statement.semicolon.shell
#             ^^ meta.embedded.block.shell.dockerfile keyword.control.if.shell
RUN echo "$HOME" > /tmp/x
#        ^ meta.embedded.block.shell.dockerfile string.quoted.double.shell punctuation.definition.string.begin.shell
#          ^^^^ string.quoted.double.shell variable.other.normal.shell
#                ^ keyword.operator.redirect.shell

# if/fi over continued lines: the shell grammar's block must close at `fi`, else the rest of the file is shell
RUN if [ -z "$X" ]; then \
      pip install a; \
    else \
      pip install b; \
#                    ^ constant.character.escape.line-continuation.dockerfile
    fi
#   ^^ meta.embedded.block.shell.dockerfile keyword.control.fi.shell
FROM base AS final
# <---- keyword.other.special-method.dockerfile - meta.instruction.run.dockerfile meta.embedded.block.shell.dockerfile
RUN --mount=type=bind,source=wheels,target=/w \
    if ls /w/*.whl; then \
        pip install /w/*.whl; \
    fi
COPY . /app
# <---- keyword.other.special-method.dockerfile - meta.embedded.block.shell.dockerfile

# the instruction after a RUN is Dockerfile again
WORKDIR /app
# <------- keyword.other.special-method.dockerfile - meta.instruction.run.dockerfile
