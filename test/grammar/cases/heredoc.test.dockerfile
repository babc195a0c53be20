# SYNTAX TEST "source.dockerfile" "heredocs: RUN scripts as shell, stdin and COPY bodies as text"
FROM python:3.12-slim

# RUN <<EOF: the body is the script, highlighted as shell
RUN <<EOF
#   ^^ meta.instruction.run.dockerfile keyword.operator.heredoc.dockerfile
#     ^^^ punctuation.definition.string.heredoc.delimiter.dockerfile
set -eux
# <--- meta.instruction.run.dockerfile meta.embedded.block.shell.dockerfile entity.name.command.shell
pip install --no-cache-dir numpy
# <--- meta.embedded.block.shell.dockerfile entity.name.command.shell
#   ^^^^^^^ meta.embedded.block.shell.dockerfile string.unquoted.argument.shell
RUN this line is inside the script, not an instruction
# <--- meta.embedded.block.shell.dockerfile entity.name.command.shell - keyword.other.special-method.dockerfile
EOF
# <--- meta.instruction.run.dockerfile punctuation.definition.string.heredoc.delimiter.dockerfile - meta.embedded.block.shell.dockerfile
ENV AFTER=1
# <--- keyword.other.special-method.dockerfile - meta.instruction.run.dockerfile meta.embedded.block.shell.dockerfile

# <<-EOF: tab-indented body and terminator
RUN <<-EOT
#   ^^^ keyword.operator.heredoc.dockerfile
#      ^^^ punctuation.definition.string.heredoc.delimiter.dockerfile
	apt-get update
#^^^^^^^ meta.embedded.block.shell.dockerfile entity.name.command.shell
	EOT
#^^^ meta.instruction.run.dockerfile punctuation.definition.string.heredoc.delimiter.dockerfile - meta.embedded.block.shell.dockerfile
WORKDIR /app
# <------- keyword.other.special-method.dockerfile - meta.instruction.run.dockerfile

# quoted delimiters, flags before, and an explicit shell after
RUN --mount=type=cache,target=/root/.cache/uv <<"SCRIPT" bash -ex
#   ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ meta.flag.dockerfile - meta.embedded.block.shell.dockerfile
#                                             ^^ keyword.operator.heredoc.dockerfile
#                                               ^ punctuation.definition.string.heredoc.quote.dockerfile
#                                                ^^^^^^ punctuation.definition.string.heredoc.delimiter.dockerfile
#                                                      ^ punctuation.definition.string.heredoc.quote.dockerfile
#                                                        ^^^^ meta.embedded.line.shell.dockerfile entity.name.command.shell
uv pip install --system -r requirements.txt
# <-- meta.embedded.block.shell.dockerfile entity.name.command.shell
SCRIPT
# <------ punctuation.definition.string.heredoc.delimiter.dockerfile
RUN <<'EOF'
#   ^^ keyword.operator.heredoc.dockerfile
#     ^ punctuation.definition.string.heredoc.quote.dockerfile
#      ^^^ punctuation.definition.string.heredoc.delimiter.dockerfile
echo "$HOME"
# <---- meta.embedded.block.shell.dockerfile entity.name.command.shell
EOF
# <--- punctuation.definition.string.heredoc.delimiter.dockerfile

# a heredoc fed to a command (stdin, or a program that is not a shell): the body is text
RUN cat <<EOF > /etc/pip.conf
#   ^^^ meta.instruction.run.dockerfile meta.embedded.line.shell.dockerfile entity.name.command.shell
#       ^^ keyword.operator.heredoc.shell
[global]
# <-------- meta.instruction.run.dockerfile string.unquoted.heredoc.dockerfile - meta.embedded.block.shell.dockerfile
no-cache-dir = true
# <------------ string.unquoted.heredoc.dockerfile
EOF
# <--- punctuation.definition.string.heredoc.delimiter.dockerfile - string.unquoted.heredoc.dockerfile
RUN <<EOF python3
#         ^^^^^^^ meta.embedded.line.shell.dockerfile entity.name.command.shell
import sys
# <------ string.unquoted.heredoc.dockerfile - entity.name.command.shell
EOF
# <--- punctuation.definition.string.heredoc.delimiter.dockerfile

# two heredocs on one line: bodies in order, each closed by its own delimiter
RUN <<FILE1 cat > /file1 && <<FILE2 cat > /file2
# <--- meta.instruction.run.dockerfile keyword.other.special-method.dockerfile
#   ^^ keyword.operator.heredoc.shell
#           ^^^ entity.name.command.shell
#                           ^^ keyword.operator.heredoc.shell
#                             ^^^^^ punctuation.definition.string.heredoc.delimiter.shell
I am
# <---- meta.instruction.run.dockerfile string.unquoted.heredoc.dockerfile
first
FILE1
# <----- meta.instruction.run.dockerfile punctuation.definition.string.heredoc.delimiter.dockerfile - string.unquoted.heredoc.dockerfile
I am
# <---- meta.instruction.run.dockerfile string.unquoted.heredoc.dockerfile
FILE1 is not the end here
# <------------------------- string.unquoted.heredoc.dockerfile
FILE2
# <----- meta.instruction.run.dockerfile punctuation.definition.string.heredoc.delimiter.dockerfile - string.unquoted.heredoc.dockerfile
USER app
# <---- keyword.other.special-method.dockerfile - meta.instruction.run.dockerfile string.unquoted.heredoc.dockerfile

# COPY / ADD heredocs: file content, plain text (never shell)
COPY <<EOF /app/config.ini
# <---- meta.instruction.copy.dockerfile keyword.other.special-method.dockerfile
#    ^^ keyword.operator.heredoc.dockerfile
#      ^^^ punctuation.definition.string.heredoc.delimiter.dockerfile
pip install numpy
# <--- meta.instruction.copy.dockerfile string.unquoted.heredoc.dockerfile - meta.embedded.block.shell.dockerfile entity.name.command.shell
EOF
# <--- meta.instruction.copy.dockerfile punctuation.definition.string.heredoc.delimiter.dockerfile
COPY --chmod=755 <<-"EOT" /usr/local/bin/entry
#    ^^^^^^^^^^^ meta.flag.dockerfile
#                ^^^ keyword.operator.heredoc.dockerfile
	#!/bin/sh
#^^^^^^^^^ string.unquoted.heredoc.dockerfile - comment.line.number-sign.dockerfile
	EOT
#^^^ punctuation.definition.string.heredoc.delimiter.dockerfile
COPY <<A <<B /dest/
#    ^^ keyword.operator.heredoc.dockerfile
#        ^^ keyword.operator.heredoc.dockerfile
#          ^ punctuation.definition.string.heredoc.delimiter.dockerfile
a
# <- meta.instruction.copy.dockerfile string.unquoted.heredoc.dockerfile
A
# <- punctuation.definition.string.heredoc.delimiter.dockerfile
b
# <- meta.instruction.copy.dockerfile string.unquoted.heredoc.dockerfile
B
# <- punctuation.definition.string.heredoc.delimiter.dockerfile
CMD ["python", "-m", "app"]
# <--- keyword.other.special-method.dockerfile - meta.instruction.copy.dockerfile string.unquoted.heredoc.dockerfile
