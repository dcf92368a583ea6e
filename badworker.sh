#!/bin/sh
read line
exit 3
