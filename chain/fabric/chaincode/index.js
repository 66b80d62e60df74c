/*
 * SPDX-License-Identifier: Apache-2.0
 */
'use strict';

const CheckpointAnchor = require('./lib/checkpoint-anchor');

module.exports.CheckpointAnchor = CheckpointAnchor;
module.exports.contracts = [CheckpointAnchor];
