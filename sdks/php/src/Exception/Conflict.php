<?php

declare(strict_types=1);

namespace SbmCrm\Exception;

/** HTTP 409. */
class Conflict extends ApiError
{
}
