<?php

declare(strict_types=1);

namespace SbmCrm\Exception;

/** HTTP 403. */
class Forbidden extends ApiError
{
}
